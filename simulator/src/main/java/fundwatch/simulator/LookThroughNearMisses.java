package fundwatch.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What D8 must not flag, planted beside its schemes (unlabelled: no detector is expected): honest borrowers spending
 * part of their loans at the busiest shop (many platforms' borrowers, a small share each) and paying each other;
 * related-party accounts paid a salary from their platform's general account (its own income, not traced money);
 * and one corporate borrower whose whole loan reaches its platform's executive (a personal account of the holder of
 * the related-party account: D8a's "own") only after the 72-hour horizon.
 * Draws from a random stream of its own and reacts to honest disbursements, so the honest market is unchanged.
 */
final class LookThroughNearMisses implements World.DisbursementListener {
    private final World world;
    private final Engine engine;
    private final SplittableRandom rng;
    private final List<Party> recentBorrowers = new ArrayList<>();
    private boolean lateOnePlanted;

    LookThroughNearMisses(World world, Engine engine, SplittableRandom rng) {
        this.world = world;
        this.engine = engine;
        this.rng = rng;
    }

    void start(long start) {
        for (SimPlatform p : world.platforms) {
            if (p.scheme == null) {
                engine.at(start + Rand.between(rng, Rand.HOUR, 20 * Rand.DAY), t -> salary(p, t));
                world.dynamicTruth.add(TruthRecord.nearMiss(NearMiss.SALARY_TO_RELATED_PARTY, "PLATFORM", p.id, start));
            }
        }
        world.dynamicTruth.add(TruthRecord.nearMiss(NearMiss.BORROWERS_SPEND_AT_BUSY_SHOP, "ACCOUNT",
                world.merchants.get(0).party().accountId(), start));
    }

    /** The platform pays its related party a monthly salary out of its general account. */
    private void salary(SimPlatform p, long t) {
        Party rp = new Party(p.executivePartyId, fundwatch.avro.PartyType.INDIVIDUAL, p.relatedPartyAccountId,
                p.relatedPartyBankId);
        engine.emit(Payments.bankTransfer(world.ids.payment(), t, p.general(), rp,
                Rand.logUniform(rng, 30, 200) * 1_000 * World.YUAN, "工资"));
        engine.at(t + 30 * Rand.DAY, when -> salary(p, when));
    }

    @Override
    public void disbursed(SimPlatform p, Party borrower, long paidAt, long netMinor) {
        if (p.scheme != null) {
            return;
        }
        World.Merchant shop = world.merchants.get(0);
        if (Rand.chance(rng, 0.3)) {
            long at = paidAt + Rand.between(rng, Rand.HOUR, 48 * Rand.HOUR);
            long spent = Math.max(World.YUAN, netMinor * Rand.between(rng, 5, 20) / 100 / World.YUAN * World.YUAN);
            if (engine.inSpan(at)) {
                engine.emit(Payments.fromCard(rng, world.ids.payment(), at, borrower, shop.party(), spent, "消费"));
            }
        }
        if (!recentBorrowers.isEmpty() && Rand.chance(rng, 0.1)) {
            Party other = recentBorrowers.get(rng.nextInt(recentBorrowers.size()));
            long at = paidAt + Rand.between(rng, Rand.HOUR, 24 * Rand.HOUR);
            long lent = Math.max(World.YUAN, netMinor * Rand.between(rng, 10, 30) / 100 / World.YUAN * World.YUAN);
            if (!other.accountId().equals(borrower.accountId()) && engine.inSpan(at)) {
                engine.emit(Payments.fromCard(rng, world.ids.payment(), at, borrower, other, lent, "借款"));
            }
        }
        recentBorrowers.add(borrower);
        if (recentBorrowers.size() > 50) {
            recentBorrowers.remove(0);
        }
        if (!lateOnePlanted && !borrower.isIndividual() && netMinor >= 100_000 * World.YUAN) {
            long at = paidAt + Rand.between(rng, 80 * Rand.HOUR, 110 * Rand.HOUR);
            if (engine.inSpan(at)) {
                lateOnePlanted = true;
                world.dynamicTruth.add(TruthRecord.nearMiss(NearMiss.LOAN_REACHES_EXECUTIVE_AFTER_HORIZON, "PLATFORM",
                        p.id, paidAt));
                Party executive = new Party(p.executivePartyId, fundwatch.avro.PartyType.INDIVIDUAL,
                        p.relatedPartyAccountId + "-CARD", p.relatedPartyBankId);
                engine.emit(Payments.bankTransfer(world.ids.payment(), at, borrower, executive, netMinor, "往来款"));
            }
        }
    }
}
