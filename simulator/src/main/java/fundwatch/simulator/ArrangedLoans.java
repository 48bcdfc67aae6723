package fundwatch.simulator;

import fundwatch.avro.AccountRole;
import fundwatch.avro.TxType;
import java.util.SplittableRandom;

/**
 * A loan a platform arranges for a borrower of its choosing (D8 schemes): raised at once from a few of its lenders —
 * each a top-up through the custody master (clearing payment + DEPOSIT) and an INVEST — then disbursed as any loan
 * is: the custody LOAN_DISBURSEMENT and the custody master's payment to the borrower's own account. The custody
 * ledger is in order; the fraud is in where the money goes next.
 */
final class ArrangedLoans {
    private ArrangedLoans() {
    }

    /**
     * @param topUps whether the lenders top up for it (a steady extra business from the scheme's onset), or invest
     *               balances they hold already (a one-off burst that must not look like a deposit spurt, D6)
     * @return the event time of the custody master's payment to the borrower, or −1 when it falls past the span
     */
    static long fundAndDisburse(World world, SimPlatform p, Engine engine, SplittableRandom rng, Party borrower,
            long targetMinor, long t, boolean topUps) {
        int lenders = Rand.between(rng, 3, 6);
        long unit = 100 * World.YUAN;
        long[] shares = new long[lenders];
        long left = targetMinor;
        for (int i = 0; i < lenders - 1; i++) {
            shares[i] = Math.max(unit, targetMinor / lenders / unit * unit);
            left -= shares[i];
        }
        shares[lenders - 1] = left;
        long time = t;
        long[] at = new long[lenders];
        for (int i = 0; i < lenders; i++) {
            time += Rand.between(rng, 2 * Rand.MINUTE, 20 * Rand.MINUTE);
            at[i] = time;
        }
        long outAt = time + Rand.between(rng, 30 * Rand.MINUTE, 2 * Rand.HOUR);
        long paidAt = outAt + Rand.between(rng, 10 * Rand.SECOND, 10 * Rand.MINUTE);
        if (!engine.inSpan(paidAt)) {
            return -1;
        }
        LoanProduct loan = world.loanFor(rng, p, borrower, targetMinor, t);
        engine.emitRecord(TopicRole.PRODUCTS, loan.productId, loan.toRecord(), t);
        for (int i = 0; i < lenders; i++) {
            Lender lender = Rand.pick(rng, p.lenders);
            long booked = at[i] + Rand.between(rng, 5 * Rand.SECOND, 3 * Rand.MINUTE);
            if (topUps) {
                engine.emit(Payments.fromCard(rng, world.ids.payment(), at[i], lender.person, p.custodyMaster(),
                        shares[i], "充值"));
                engine.emit(p.ledger(world.ids, TxType.DEPOSIT, booked, shares[i], null)
                        .setDebitAccountId(lender.person.accountId()).setDebitRole(AccountRole.EXTERNAL)
                        .setDebitPartyId(lender.person.partyId())
                        .setCreditAccountId(lender.subAccountId).setCreditRole(AccountRole.LENDER)
                        .setCreditPartyId(lender.person.partyId()).build());
            }
            engine.emit(p.ledger(world.ids, TxType.INVEST, booked + Rand.MINUTE, shares[i], loan.productId)
                    .setDebitAccountId(lender.subAccountId).setDebitRole(AccountRole.LENDER)
                    .setDebitPartyId(lender.person.partyId())
                    .setCreditAccountId(loan.borrowerSubAccountId).setCreditRole(AccountRole.BORROWER)
                    .setCreditPartyId(borrower.partyId()).build());
            loan.holdings.add(new LoanProduct.Holding(lender, shares[i]));
        }
        loan.raisedMinor = targetMinor;
        engine.emit(p.ledger(world.ids, TxType.LOAN_DISBURSEMENT, outAt, targetMinor, loan.productId)
                .setDebitAccountId(loan.borrowerSubAccountId).setDebitRole(AccountRole.BORROWER)
                .setDebitPartyId(borrower.partyId())
                .setCreditAccountId(borrower.accountId()).setCreditRole(AccountRole.EXTERNAL)
                .setCreditPartyId(borrower.partyId()).build());
        engine.emit(Payments.bankTransfer(world.ids.payment(), paidAt, p.custodyMaster(), borrower, targetMinor,
                "借款发放"));
        loan.disbursedAt = outAt;
        return paidAt;
    }
}
