package fundwatch.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clearing traffic that has nothing to do with lending, so that detectors must tell it apart: shop
 * purchases (many individual payers, one or two suppliers paid weekly), person-to-person transfers,
 * business-to-business payments and monthly payrolls (one company, many individual payees).
 */
final class BackgroundTraffic {
    static final double PURCHASES_PER_HOUR = 250.0;
    static final double TRANSFERS_PER_HOUR = 30.0;
    static final double BUSINESS_PAYMENTS_PER_HOUR = 4.0;

    private final World world;
    private final Engine engine;
    private final SplittableRandom purchases;
    private final SplittableRandom transfers;
    private final SplittableRandom business;
    private final SplittableRandom payroll;
    private final double[] shopWeights;
    /** Hourly rates scaled by the market's volume (payroll is calendar-driven and stays as it is). */
    private final double purchasesPerHour;
    private final double transfersPerHour;
    private final double businessPerHour;
    /** Companies that trade with each other: suppliers and employers (shops buy only from their suppliers). */
    private final List<Party> traders = new ArrayList<>();

    BackgroundTraffic(World world, Engine engine) {
        this.world = world;
        this.engine = engine;
        this.purchases = world.retailRng.split();
        this.transfers = world.retailRng.split();
        this.business = world.corporateRng.split();
        this.payroll = world.corporateRng.split();
        double volume = world.config.volume();
        this.purchasesPerHour = PURCHASES_PER_HOUR * volume;
        this.transfersPerHour = TRANSFERS_PER_HOUR * volume;
        this.businessPerHour = BUSINESS_PAYMENTS_PER_HOUR * volume;
        this.shopWeights = new double[world.merchants.size()];
        double sum = 0;
        for (int i = 0; i < shopWeights.length; i++) {
            sum += world.merchants.get(i).weight();
            shopWeights[i] = sum;
        }
        traders.addAll(world.suppliers);
        for (World.Employer e : world.employers) {
            traders.add(e.party());
        }
    }

    void start(long start) {
        engine.at(Diurnal.nextArrival(purchases, start, purchasesPerHour), this::purchase);
        engine.at(Diurnal.nextArrival(transfers, start, transfersPerHour), this::transfer);
        engine.at(Diurnal.nextArrival(business, start, businessPerHour), this::businessPayment);
        long day = Diurnal.beijingDay(start);
        engine.at(firstAtOrAfter(start, day, 10), this::payday);
        engine.at(firstAtOrAfter(start, day, 15), this::supplierDay);
    }

    private static long firstAtOrAfter(long start, long day, int hour) {
        long t = Diurnal.beijingTime(day, hour);
        return t >= start ? t : Diurnal.beijingTime(day + 1, hour);
    }

    private void purchase(long t) {
        // A person with several cards pays with any of them.
        Party buyer = Rand.pick(purchases, world.individuals).anyCard(purchases);
        World.Merchant shop = world.merchants.get(weightedShop(purchases.nextDouble() * shopWeights[shopWeights.length - 1]));
        long amount = Rand.logUniform(purchases, 500, 300_000);
        double r = purchases.nextDouble();
        String institution = r < 0.55 ? Payments.ALIPAY : r < 0.95 ? Payments.TENPAY : Payments.UNIONPAY;
        engine.emit(Payments.payment(world.ids.payment(), t, Payments.NUCC, institution, buyer, shop.party(), amount,
                Rand.chance(purchases, 0.5) ? "消费" : null));
        engine.at(Diurnal.nextArrival(purchases, t, purchasesPerHour), this::purchase);
    }

    private int weightedShop(double x) {
        int lo = 0;
        int hi = shopWeights.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (shopWeights[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void transfer(long t) {
        int n = world.individuals.size();
        int from = transfers.nextInt(n);
        int to = (from + 1 + transfers.nextInt(n - 1)) % n;
        long amount = Rand.logUniform(transfers, 2_000, 500_000);
        engine.emit(Payments.payment(world.ids.payment(), t, Payments.NUCC,
                Rand.chance(transfers, 0.7) ? Payments.TENPAY : Payments.ALIPAY,
                world.individuals.get(from).anyCard(transfers), world.individuals.get(to), amount, "转账"));
        engine.at(Diurnal.nextArrival(transfers, t, transfersPerHour), this::transfer);
    }

    private void businessPayment(long t) {
        int n = traders.size();
        int from = business.nextInt(n);
        int to = (from + 1 + business.nextInt(n - 1)) % n;
        long amount = Rand.logUniform(business, 10_000 * World.YUAN, 500_000 * World.YUAN);
        engine.emit(Payments.bankTransfer(world.ids.payment(), t, traders.get(from), traders.get(to), amount, "货款"));
        engine.at(Diurnal.nextArrival(business, t, businessPerHour), this::businessPayment);
    }

    /** 10:00 Beijing time: employers whose pay day it is pay every employee, a second or so apart. */
    private void payday(long t) {
        int dayOfMonth = LocalDate.ofEpochDay(Diurnal.beijingDay(t)).getDayOfMonth();
        long time = t;
        for (World.Employer employer : world.employers) {
            if (employer.payDayOfMonth() != dayOfMonth) {
                continue;
            }
            for (int i = 0; i < employer.employees().size(); i++) {
                engine.emit(Payments.bankTransfer(world.ids.payment(), time, employer.party(),
                        employer.employees().get(i), employer.salariesMinor().get(i), "工资"));
                time += Rand.between(payroll, Rand.SECOND, 3 * Rand.SECOND);
            }
        }
        engine.at(t + Rand.DAY, this::payday);
    }

    /** 15:00 Beijing time on weekdays: shops whose day it is settle with their suppliers. */
    private void supplierDay(long t) {
        DayOfWeek weekday = LocalDate.ofEpochDay(Diurnal.beijingDay(t)).getDayOfWeek();
        long time = t;
        for (World.Merchant shop : world.merchants) {
            if (shop.payDayOfWeek() != weekday.getValue()) {
                continue;
            }
            for (Party supplier : shop.suppliers()) {
                long amount = Rand.logUniform(payroll, 20_000 * World.YUAN, 200_000 * World.YUAN);
                engine.emit(Payments.bankTransfer(world.ids.payment(), time, shop.party(), supplier, amount, "货款"));
                time += Rand.between(payroll, Rand.SECOND, 30 * Rand.SECOND);
            }
        }
        engine.at(t + Rand.DAY, this::supplierDay);
    }
}
