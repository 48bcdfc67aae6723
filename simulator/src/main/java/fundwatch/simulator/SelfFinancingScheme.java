package fundwatch.simulator;

import java.util.SplittableRandom;

/**
 * D8a self-financing (自融): the platform lends its lenders' money to shell companies it controls, and each shell
 * passes its loan on through one to three intermediary companies — hours apart, keeping a small cut on the way —
 * into the platform's related-party account. A new shell loan every one to two days, ¥400k–¥900k (within the
 * corporate borrowing cap).
 */
final class SelfFinancingScheme {
    private final World world;
    private final SimPlatform p;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;

    SelfFinancingScheme(World world, SimPlatform platform, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.p = platform;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
    }

    void start() {
        engine.at(onset + Rand.between(rng, 10 * Rand.MINUTE, 3 * Rand.HOUR), this::shellLoan);
    }

    private void shellLoan(long t) {
        Party shell = world.newCompany(rng);
        long amount = Rand.logUniform(rng, 400, 900) * 1_000 * World.YUAN;
        long paidAt = ArrangedLoans.fundAndDisburse(world, p, engine, rng, shell, amount, t, true);
        if (paidAt > 0) {
            int intermediaries = Rand.between(rng, 1, 3);
            long at = paidAt;
            long left = amount;
            Party from = shell;
            for (int i = 0; i <= intermediaries; i++) {
                at += Rand.between(rng, 2 * Rand.HOUR, 16 * Rand.HOUR);
                Party to = i == intermediaries ? relatedParty() : world.newCompany(rng);
                // each hop keeps 0–3 % (fees, a cut), in whole yuan
                left = left - left * Rand.between(rng, 0, 3) / 100 / World.YUAN * World.YUAN;
                if (!engine.inSpan(at)) {
                    break;
                }
                engine.emit(Payments.bankTransfer(world.ids.payment(), at, from, to, left,
                        i == intermediaries ? "往来款" : "货款"));
                from = to;
            }
        }
        engine.at(t + Rand.between(rng, Rand.DAY, 2 * Rand.DAY), this::shellLoan);
    }

    private Party relatedParty() {
        return new Party(p.executivePartyId, fundwatch.avro.PartyType.INDIVIDUAL, p.relatedPartyAccountId,
                p.relatedPartyBankId);
    }
}
