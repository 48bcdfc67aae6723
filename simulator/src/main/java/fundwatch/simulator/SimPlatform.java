package fundwatch.simulator;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.CustodyTransaction;
import fundwatch.avro.PartyType;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import fundwatch.avro.TxType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A licensed P2P lending platform: its registry entry, its registered accounts and its lenders. */
final class SimPlatform {
    final String id;
    final String name;
    final String custodianId;
    final String regionCode;
    final long registeredAt;
    /** The operating company. */
    final String partyId;
    /** An executive, holder of the related-party account. */
    final String executivePartyId;
    final String custodyMasterAccountId;
    final String ownSubAccountId;
    final String generalAccountId;
    final String generalBankId;
    final String relatedPartyAccountId;
    final String relatedPartyBankId;
    /** The scheme this platform runs, or {@code null} for an honest one. */
    final Scheme scheme;
    /** Business volume relative to an average platform: scales the rates of top-ups and withdrawals. */
    final double activity;
    final List<Lender> lenders = new ArrayList<>();
    /** Loans disbursed before the span, still being repaid in it. */
    final List<LoanProduct> seasonedProducts = new ArrayList<>();
    /** Loans raising money at the start of the span. */
    final List<LoanProduct> openProducts = new ArrayList<>();
    private long borrowerAccounts;

    SimPlatform(String id, String name, String custodianId, String regionCode, long registeredAt,
                String partyId, String executivePartyId, String generalBankId, String relatedPartyBankId,
                Scheme scheme, double activity) {
        this.id = id;
        this.name = name;
        this.custodianId = custodianId;
        this.regionCode = regionCode;
        this.registeredAt = registeredAt;
        this.partyId = partyId;
        this.executivePartyId = executivePartyId;
        this.custodyMasterAccountId = id + "-CM";
        this.ownSubAccountId = id + "-OWN";
        this.generalAccountId = id + "-GEN";
        this.generalBankId = generalBankId;
        this.relatedPartyAccountId = id + "-RP";
        this.relatedPartyBankId = relatedPartyBankId;
        this.scheme = scheme;
        this.activity = activity;
    }

    /** An entry of this platform's custody ledger, with a fresh event id: the common part of every movement. */
    CustodyTransaction.Builder ledger(Ids ids, TxType type, long time, long amount, String productId) {
        if (amount <= 0) {
            throw new IllegalArgumentException(type + " amount must be > 0: " + amount);
        }
        return CustodyTransaction.newBuilder()
                .setEventId(ids.custodyEvent())
                .setCustodianId(custodianId)
                .setPlatformId(id)
                .setType(type)
                .setAmountMinor(amount)
                .setCurrency(World.CURRENCY)
                .setProductId(productId)
                .setEventTime(Instant.ofEpochMilli(time));
    }

    /** The custody master account as a clearing party: held by the platform company at its custodian. */
    Party custodyMaster() {
        return new Party(partyId, PartyType.CORPORATE, custodyMasterAccountId, custodianId);
    }

    /** The platform's ordinary, non-custody bank account. */
    Party general() {
        return new Party(partyId, PartyType.CORPORATE, generalAccountId, generalBankId);
    }

    String nextLenderSubAccountId() {
        return Ids.pad(id + "-L", lenders.size() + 1L, 5);
    }

    String nextBorrowerSubAccountId() {
        return Ids.pad(id + "-B", ++borrowerAccounts, 5);
    }

    Platform toRecord() {
        return toRecord(PlatformStatus.ACTIVE);
    }

    Platform toRecord(PlatformStatus status) {
        return Platform.newBuilder()
                .setPlatformId(id)
                .setName(name)
                .setKind(PlatformKind.P2P_LENDING)
                .setLicensed(true)
                .setCustodianId(custodianId)
                .setStatus(status)
                .setRegisteredAt(Instant.ofEpochMilli(registeredAt))
                .setRegionCode(regionCode)
                .build();
    }

    List<AccountRegistration> accountRecords() {
        return List.of(
                account(custodyMasterAccountId, custodianId, partyId, AccountPurpose.CUSTODY_MASTER),
                account(ownSubAccountId, custodianId, partyId, AccountPurpose.CUSTODY_SUB_ACCOUNT),
                account(generalAccountId, generalBankId, partyId, AccountPurpose.PLATFORM_GENERAL),
                account(relatedPartyAccountId, relatedPartyBankId, executivePartyId, AccountPurpose.RELATED_PARTY));
    }

    private AccountRegistration account(String accountId, String bankId, String holder, AccountPurpose purpose) {
        return AccountRegistration.newBuilder()
                .setAccountId(accountId)
                .setBankId(bankId)
                .setPlatformId(id)
                .setHolderPartyId(holder)
                .setPurpose(purpose)
                .build();
    }
}
