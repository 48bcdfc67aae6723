package fundwatch.simulator;

import fundwatch.avro.AccountRole;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.TxType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The lending business of one platform, run through its custody bank as the 2017 guideline wants:
 * lenders top up and withdraw through the custody master account, invest into named loan projects,
 * borrowers receive the loan and repay into their own sub-accounts, and the platform takes its fee
 * inside the ledger. Every movement of money through the custody master appears twice — once in
 * the custody ledger, once at the clearing network — unless the platform's {@link Conduct} says not.
 */
final class PlatformBusiness {
    /** Lender top-ups per hour on an average platform at average daytime activity. */
    static final double TOP_UPS_PER_HOUR = 6.0;
    static final double WITHDRAWALS_PER_HOUR = 2.0;
    private static final long HUNDRED_YUAN = 100 * World.YUAN;
    private static final int MAX_RAISING = 5;

    private final World world;
    private final SimPlatform p;
    private final Engine engine;
    private final SplittableRandom rng;
    private final Conduct conduct;
    /** Products still raising money; a list, not a set, so that picks are reproducible. */
    private final List<LoanProduct> raising = new ArrayList<>();
    private final double topUpsPerHour;
    private final double withdrawalsPerHour;
    private final long start;
    private final double trendPerDay;
    /** Near misses: the interest-coupon share (0: no campaign), a loan that defaults, fees put into the reserve. */
    private final int subsidyPercent;
    private final NearMisses.Default defaulted;
    private final int reservePercentOfFees;

    PlatformBusiness(World world, SimPlatform platform, Engine engine, SplittableRandom rng, Conduct conduct) {
        this.world = world;
        this.p = platform;
        this.engine = engine;
        this.rng = rng;
        this.conduct = conduct;
        // The steady grower is a busy platform even in a thin market: with a handful of top-ups a day, chance alone
        // would push some week over D6's 3 x, and the near miss would not be one.
        double activity = world.nearMisses.platforms.get(NearMiss.STEADY_GROWER) == platform
                ? Math.max(platform.activity, NearMisses.STEADY_GROWER_MIN_ACTIVITY) : platform.activity;
        this.topUpsPerHour = TOP_UPS_PER_HOUR * activity;
        this.withdrawalsPerHour = WITHDRAWALS_PER_HOUR * activity;
        this.start = world.start;
        // Honest platforms drift: most grow slowly, some shrink (-0.3 % to +0.6 % a day: x0.76 to x1.7 over 90
        // days, far from a D6 spurt). A scheme platform's demand is its conduct's alone.
        double trend = platform.scheme == null ? -0.003 + 0.009 * rng.nextDouble() : 0;
        // The steady grower's growth is its conduct's alone, as for a scheme.
        this.trendPerDay = world.nearMisses.platforms.get(NearMiss.STEADY_GROWER) == platform ? 0 : trend;
        this.subsidyPercent = world.nearMisses.platforms.get(NearMiss.SUBSIDY_WITHIN_LIMITS) == platform
                ? NearMisses.SUBSIDY_PERCENT_OF_INTEREST : 0;
        this.defaulted = world.nearMisses.defaults.get(platform.id);
        this.reservePercentOfFees = defaulted != null && defaulted.payerRole() == AccountRole.RISK_RESERVE
                ? NearMisses.RESERVE_PERCENT_OF_FEES : 0;
    }

    SimPlatform platform() {
        return p;
    }

    void start(long start) {
        raising.addAll(p.openProducts);
        for (LoanProduct loan : p.seasonedProducts) {
            int k = 1;
            while (k <= loan.periods() && loan.dueTime(k) < start) {
                k++;
            }
            schedulePeriod(loan, k, start);
        }
        engine.at(Diurnal.nextArrival(rng, start, topUpRate(start)), this::topUpArrival);
        engine.at(Diurnal.nextArrival(rng, start, withdrawalRate(start)), this::withdrawalArrival);
    }

    private void topUpArrival(long t) {
        topUp(t);
        engine.at(Diurnal.nextArrival(rng, t, topUpRate(t)), this::topUpArrival);
    }

    private void withdrawalArrival(long t) {
        withdraw(t);
        engine.at(Diurnal.nextArrival(rng, t, withdrawalRate(t)), this::withdrawalArrival);
    }

    /** Top-ups per hour at average daytime activity around {@code t}: size, conduct, trend, weekday and holiday. */
    private double topUpRate(long t) {
        return topUpsPerHour * conduct.demand(t) * trend(t) * Calendar.factor(t);
    }

    private double withdrawalRate(long t) {
        return withdrawalsPerHour * trend(t) * Calendar.factor(t);
    }

    private double trend(long t) {
        return Math.exp(trendPerDay * (t - start) / (double) Rand.DAY);
    }

    /**
     * A lender moves money from their own card into custody: the clearing payment into the custody
     * master and the custody DEPOSIT into their sub-account, seconds to minutes apart, either first.
     * Amounts are whole yuan, spread widely, so two top-ups rarely share an amount.
     */
    private void topUp(long t) {
        Lender lender = Rand.chance(rng, conduct.newLenderShare(t)) ? newLender() : Rand.pick(rng, p.lenders);
        long amount = Rand.logUniform(rng, 500, 100_000) * World.YUAN;
        long gap = Rand.between(rng, 5 * Rand.SECOND, 10 * Rand.MINUTE);
        boolean paymentFirst = Rand.chance(rng, 0.6);
        if (!engine.inSpan(t + gap)) {
            return;
        }
        long paidAt = paymentFirst ? t : t + gap;
        long bookedAt = paymentFirst ? t + gap : t;
        Party card = lender.person.anyCard(rng);
        engine.emit(Payments.fromCard(rng, world.ids.payment(), paidAt, card, p.custodyMaster(), amount, "充值"));
        if (!conduct.booksDeposit(t)) {
            return;
        }
        engine.emit(ledger(TxType.DEPOSIT, bookedAt, amount, null)
                .setDebitAccountId(card.accountId()).setDebitRole(AccountRole.EXTERNAL)
                .setDebitPartyId(lender.person.partyId())
                .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                .setCreditPartyId(lender.person.partyId())
                .build());
        lender.balanceMinor += amount;
        long settled = t + gap;
        engine.at(settled + Rand.between(rng, 5 * Rand.MINUTE, 3 * Rand.HOUR), when -> invest(lender, when, 3));
    }

    /** The lender puts their balance, in hundreds of yuan, into up to three raising products. */
    private void invest(Lender lender, long t, int retries) {
        long time = t;
        for (int n = 0; n < 3 && lender.balanceMinor >= HUNDRED_YUAN && !raising.isEmpty(); n++) {
            if (!engine.inSpan(time)) {
                return;
            }
            LoanProduct loan = raising.get(rng.nextInt(raising.size()));
            long amount = Math.min(lender.balanceMinor / HUNDRED_YUAN * HUNDRED_YUAN, loan.remainingMinor());
            engine.emit(ledger(TxType.INVEST, time, amount, loan.productId)
                    .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                    .setDebitPartyId(lender.person.partyId())
                    .setCreditAccountId(loan.borrowerSubAccountId).setCreditRole(AccountRole.BORROWER)
                    .setCreditPartyId(loan.borrower.partyId())
                    .build());
            lender.balanceMinor -= amount;
            loan.raisedMinor += amount;
            loan.holdings.add(new LoanProduct.Holding(lender, amount));
            if (loan.remainingMinor() == 0) {
                raising.remove(loan);
                engine.at(time + Rand.between(rng, 10 * Rand.MINUTE, 90 * Rand.MINUTE), when -> disburse(loan, when));
                engine.at(time + Rand.between(rng, 20 * Rand.MINUTE, 3 * Rand.HOUR), this::issueProduct);
            }
            time += Rand.between(rng, Rand.SECOND, 20 * Rand.SECOND);
        }
        if (lender.balanceMinor >= HUNDRED_YUAN && raising.isEmpty() && retries > 0) {
            engine.at(time + Rand.between(rng, 30 * Rand.MINUTE, 3 * Rand.HOUR), when -> invest(lender, when, retries - 1));
        }
    }

    private Lender newLender() {
        Lender lender = new Lender(world.newIndividual(rng), p.nextLenderSubAccountId());
        p.lenders.add(lender);
        return lender;
    }

    /**
     * D7: a loan project for {@code borrower}, raised from this platform's lenders like any other and then
     * disbursed and repaid on schedule: the breach is in the amount, not in how the money moves.
     */
    void lendTo(Party borrower, long targetMinor, long t) {
        LoanProduct loan = world.loanFor(rng, p, borrower, targetMinor, t);
        raising.add(loan);
        engine.emitRecord(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), t);
    }

    private void issueProduct(long t) {
        if (raising.size() >= MAX_RAISING) {
            return;
        }
        LoanProduct loan = world.drawLoan(rng, p, t, 0);
        raising.add(loan);
        engine.emitRecord(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), t);
    }

    /**
     * A fully raised loan goes out: the platform's service fee moves to its own sub-account, the rest
     * leaves the borrower's sub-account for the borrower's bank account.
     */
    private void disburse(LoanProduct loan, long t) {
        long fee = Math.max(1L, loan.targetMinor * Rand.between(rng, 100, 300) / 10_000L);
        long net = loan.targetMinor - fee;
        long outAt = t + Rand.between(rng, Rand.SECOND, 5 * Rand.SECOND);
        long paidAt = outAt + Rand.between(rng, 10 * Rand.SECOND, 15 * Rand.MINUTE);
        if (!engine.inSpan(paidAt)) {
            return;
        }
        engine.emit(ledger(TxType.PLATFORM_FEE, t, fee, loan.productId)
                .setDebitAccountId(loan.borrowerSubAccountId).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId(loan.borrower.partyId())
                .setCreditAccountId(p.ownSubAccountId).setCreditRole(AccountRole.PLATFORM_OWN)
                .setCreditPartyId(p.partyId)
                .build());
        engine.emit(ledger(TxType.LOAN_DISBURSEMENT, outAt, net, loan.productId)
                .setDebitAccountId(loan.borrowerSubAccountId).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId(loan.borrower.partyId())
                .setCreditAccountId(loan.borrower.accountId()).setCreditRole(AccountRole.EXTERNAL)
                .setCreditPartyId(loan.borrower.partyId())
                .build());
        engine.emit(Payments.bankTransfer(world.ids.payment(), paidAt, p.custodyMaster(), loan.borrower, net, "借款发放"));
        long toReserve = fee * reservePercentOfFees / 100;
        if (toReserve > 0) {
            // 风险准备金: part of each fee is set aside, inside the ledger, against defaults.
            engine.emit(ledger(TxType.TRANSFER, outAt, toReserve, null)
                    .setDebitAccountId(p.ownSubAccountId).setDebitRole(AccountRole.PLATFORM_OWN)
                    .setDebitPartyId(p.partyId)
                    .setCreditAccountId(defaulted.payerAccountId()).setCreditRole(AccountRole.RISK_RESERVE)
                    .setCreditPartyId(defaulted.payerPartyId())
                    .build());
        }
        for (World.DisbursementListener l : world.disbursementListeners) {
            l.disbursed(p, loan.borrower, paidAt, net);
        }
        loan.disbursedAt = t;
        schedulePeriod(loan, 1, t);
    }

    /** The borrower funds period {@code k} a few hours before it is due; the platform pays lenders on the due date. */
    private void schedulePeriod(LoanProduct loan, int k, long now) {
        if (k > loan.periods()) {
            return;
        }
        long due = loan.dueTime(k);
        long fundAt = Math.max(now, due - Rand.between(rng, 2 * Rand.HOUR, 20 * Rand.HOUR));
        engine.at(fundAt, when -> borrowerFunds(loan, k, when));
    }

    private void borrowerFunds(LoanProduct loan, int k, long t) {
        if (defaulted != null && defaulted.loan() == loan && defaulted.period() == k) {
            // The borrower never pays again; on the due date the reserve (or the guarantor) pays the lenders.
            engine.at(Math.max(t, loan.dueTime(k)), when -> compensate(loan, k, when));
            return;
        }
        boolean last = k == loan.periods();
        long amount = 0;
        for (LoanProduct.Holding h : loan.holdings) {
            amount += loan.interestMinor(h, k) + (last ? h.principalMinor() : 0);
        }
        long gap = Rand.between(rng, 5 * Rand.SECOND, 10 * Rand.MINUTE);
        boolean paymentFirst = Rand.chance(rng, 0.6);
        if (amount <= 0 || !engine.inSpan(t + gap)) {
            return;
        }
        Party borrower = loan.borrower;
        engine.emit(borrower.isIndividual()
                ? Payments.fromCard(rng, world.ids.payment(), paymentFirst ? t : t + gap, borrower, p.custodyMaster(), amount, "还款")
                : Payments.bankTransfer(world.ids.payment(), paymentFirst ? t : t + gap, borrower, p.custodyMaster(), amount, "还款"));
        engine.emit(ledger(TxType.DEPOSIT, paymentFirst ? t + gap : t, amount, loan.productId)
                .setDebitAccountId(borrower.accountId()).setDebitRole(AccountRole.EXTERNAL)
                .setDebitPartyId(borrower.partyId())
                .setCreditAccountId(loan.borrowerSubAccountId).setCreditRole(AccountRole.BORROWER)
                .setCreditPartyId(borrower.partyId())
                .build());
        long due = Math.max(loan.dueTime(k), t + gap + Rand.MINUTE);
        engine.at(due, when -> repay(loan, k, when));
    }

    /** Interest to every holder each period, principal with the last; some lenders reinvest at once. */
    private void repay(LoanProduct loan, int k, long t) {
        boolean last = k == loan.periods();
        long time = t;
        for (LoanProduct.Holding h : loan.holdings) {
            long interest = loan.interestMinor(h, k);
            if (interest > 0) {
                engine.emit(repayment(TxType.REPAY_INTEREST, time, interest, loan, h.lender()));
                long coupon = interest * subsidyPercent / 100;
                if (coupon > 0) {
                    // 加息券: a coupon on the interest, paid by the platform — a subsidy well inside D5a's limits.
                    engine.emit(ledger(TxType.SUBSIDY, time, coupon, null)
                            .setDebitAccountId(p.ownSubAccountId).setDebitRole(AccountRole.PLATFORM_OWN)
                            .setDebitPartyId(p.partyId)
                            .setCreditAccountId(h.lender().subAccountId).setCreditRole(AccountRole.LENDER)
                            .setCreditPartyId(h.lender().person.partyId())
                            .build());
                    h.lender().balanceMinor += coupon;
                }
            }
            if (last) {
                engine.emit(repayment(TxType.REPAY_PRINCIPAL, time, h.principalMinor(), loan, h.lender()));
            }
            h.lender().balanceMinor += interest + (last ? h.principalMinor() : 0);
            time += Rand.between(rng, 0L, 2 * Rand.SECOND);
        }
        for (LoanProduct.Holding h : loan.holdings) {
            if (Rand.chance(rng, 0.15)) {
                Lender lender = h.lender();
                engine.at(time + Rand.between(rng, 10 * Rand.MINUTE, 6 * Rand.HOUR), when -> invest(lender, when, 2));
            }
        }
        schedulePeriod(loan, k + 1, time);
    }

    /** 代偿: the defaulted loan's interest for period {@code k} and every holder's principal, from the payer of last resort. */
    private void compensate(LoanProduct loan, int k, long t) {
        long time = t;
        for (LoanProduct.Holding h : loan.holdings) {
            long interest = loan.interestMinor(h, k);
            if (interest > 0) {
                engine.emit(compensation(TxType.REPAY_INTEREST, time, interest, loan, h.lender()));
            }
            engine.emit(compensation(TxType.REPAY_PRINCIPAL, time, h.principalMinor(), loan, h.lender()));
            h.lender().balanceMinor += interest + h.principalMinor();
            time += Rand.between(rng, 0L, 2 * Rand.SECOND);
        }
    }

    private CustodyTransaction compensation(TxType type, long time, long amount, LoanProduct loan, Lender lender) {
        return ledger(type, time, amount, loan.productId)
                .setDebitAccountId(defaulted.payerAccountId()).setDebitRole(defaulted.payerRole())
                .setDebitPartyId(defaulted.payerPartyId())
                .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                .setCreditPartyId(lender.person.partyId())
                .build();
    }

    private CustodyTransaction repayment(TxType type, long time, long amount, LoanProduct loan, Lender lender) {
        return ledger(type, time, amount, loan.productId)
                .setDebitAccountId(loan.borrowerSubAccountId).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId(loan.borrower.partyId())
                .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                .setCreditPartyId(lender.person.partyId())
                .build();
    }

    /**
     * A lender takes money out: the custody WITHDRAWAL, then the custody master pays their card
     * seconds to half an hour later — unless the platform's conduct keeps the money.
     */
    private void withdraw(long t) {
        Lender lender = lenderWithBalance();
        if (lender == null) {
            return;
        }
        long amount = Rand.chance(rng, 0.5)
                ? lender.balanceMinor
                : Rand.logUniform(rng, 100, Math.max(100, lender.balanceMinor / World.YUAN)) * World.YUAN;
        amount = Math.min(amount, lender.balanceMinor);
        long paidAt = t + Rand.between(rng, 10 * Rand.SECOND, 30 * Rand.MINUTE);
        if (!engine.inSpan(paidAt)) {
            return;
        }
        Party card = lender.person.anyCard(rng);
        engine.emit(ledger(TxType.WITHDRAWAL, t, amount, null)
                .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                .setDebitPartyId(lender.person.partyId())
                .setCreditAccountId(card.accountId()).setCreditRole(AccountRole.EXTERNAL)
                .setCreditPartyId(lender.person.partyId())
                .build());
        lender.balanceMinor -= amount;
        if (conduct.paysOutWithdrawal(t)) {
            engine.emit(Payments.bankTransfer(world.ids.payment(), paidAt, p.custodyMaster(), card, amount, "提现"));
        }
    }

    private Lender lenderWithBalance() {
        int n = p.lenders.size();
        int from = rng.nextInt(n);
        for (int i = 0; i < n; i++) {
            Lender l = p.lenders.get((from + i) % n);
            if (l.balanceMinor >= HUNDRED_YUAN) {
                return l;
            }
        }
        return null;
    }

    private CustodyTransaction.Builder ledger(TxType type, long time, long amount, String productId) {
        return p.ledger(world.ids, type, time, amount, productId);
    }
}
