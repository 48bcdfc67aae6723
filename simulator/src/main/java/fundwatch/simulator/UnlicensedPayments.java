package fundwatch.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 无证经营支付业务 (D3e): an institution id that no registry knows carries shops' card payments, day and night —
 * about forty a day, ¥200–¥5,000 each. It stays within each shop's bank (the bank books the payment), so it clears
 * nothing across banks; what gives it away is only that it has no licence.
 */
final class UnlicensedPayments {
    static final double PAYMENTS_PER_DAY = 40;

    private final World world;
    private final SimInstitution inst;
    private final Engine engine;
    private final SplittableRandom rng;
    private final long onset;
    /** Per shop, the individuals who bank where it banks. */
    private final List<List<Party>> customers = new ArrayList<>();
    private final List<World.Merchant> shops = new ArrayList<>();

    UnlicensedPayments(World world, SimInstitution inst, Engine engine, SplittableRandom rng, long onset) {
        this.world = world;
        this.inst = inst;
        this.engine = engine;
        this.rng = rng;
        this.onset = onset;
        for (World.Merchant shop : inst.merchants) {
            List<Party> sameBank = world.individuals.stream()
                    .filter(p -> p.bankId().equals(shop.party().bankId())).toList();
            if (!sameBank.isEmpty()) {
                shops.add(shop);
                customers.add(sameBank);
            }
        }
    }

    void start() {
        if (!shops.isEmpty()) {
            engine.at(Diurnal.nextArrival(rng, onset, PAYMENTS_PER_DAY / 24.0), this::pay);
        }
    }

    private void pay(long t) {
        int i = rng.nextInt(shops.size());
        Party shop = shops.get(i).party();
        Party customer = Rand.pick(rng, customers.get(i));
        engine.emit(Payments.payment(world.ids.payment(), t, shop.bankId(), inst.id, customer, shop,
                Rand.logUniform(rng, 200, 5_000) * World.YUAN, "消费"));
        engine.at(Diurnal.nextArrival(rng, t, PAYMENTS_PER_DAY / 24.0), this::pay);
    }
}
