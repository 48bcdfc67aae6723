package fundwatch.simulator;

import fundwatch.avro.AccountPurpose;
import fundwatch.avro.AccountRegistration;
import fundwatch.avro.Platform;
import fundwatch.avro.PlatformKind;
import fundwatch.avro.PlatformStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A third-party payment institution: its client reserve (备付金) accounts at two or three banks, its own general
 * account, an affiliate's account, and the shops it settles. An unregistered one ({@link #registered} false) has
 * none of these in the registry.
 */
final class SimInstitution {
    final String id;
    final String name;
    final String regionCode;
    final long registeredAt;
    /** The scheme this institution runs, or {@code null} for an honest one. */
    final Scheme scheme;
    final boolean registered;
    /** The operating company, with its general account. */
    final Party company;
    /** Reserve accounts, held by the company, one per bank. */
    final List<Party> reserves;
    /** An affiliated company's account, registered RELATED_PARTY. */
    final Party affiliate;
    final List<World.Merchant> merchants;

    SimInstitution(String id, String name, String regionCode, long registeredAt, Scheme scheme, Party company,
            List<String> reserveBanks, Party affiliate, List<World.Merchant> merchants) {
        this.id = id;
        this.name = name;
        this.regionCode = regionCode;
        this.registeredAt = registeredAt;
        this.scheme = scheme;
        this.registered = scheme != Scheme.UNLICENSED_PAYMENT;
        this.company = company;
        List<Party> r = new ArrayList<>();
        for (String bank : reserveBanks) {
            r.add(new Party(company.partyId(), company.type(), id + "-RSV-" + bank, bank));
        }
        this.reserves = List.copyOf(r);
        this.affiliate = affiliate;
        this.merchants = List.copyOf(merchants);
    }

    /** The reserve at {@code bankId}, or null. */
    Party reserveAt(String bankId) {
        for (Party r : reserves) {
            if (r.bankId().equals(bankId)) {
                return r;
            }
        }
        return null;
    }

    Platform toRecord() {
        return Platform.newBuilder()
                .setPlatformId(id)
                .setName(name)
                .setKind(PlatformKind.PAYMENT_INSTITUTION)
                .setLicensed(true)
                .setCustodianId(null)
                .setStatus(PlatformStatus.ACTIVE)
                .setRegisteredAt(Instant.ofEpochMilli(registeredAt))
                .setRegionCode(regionCode)
                .build();
    }

    List<AccountRegistration> accountRecords() {
        List<AccountRegistration> out = new ArrayList<>();
        for (Party r : reserves) {
            out.add(account(r, AccountPurpose.PAYMENT_RESERVE));
        }
        out.add(account(company, AccountPurpose.PLATFORM_GENERAL));
        out.add(account(affiliate, AccountPurpose.RELATED_PARTY));
        return out;
    }

    private AccountRegistration account(Party p, AccountPurpose purpose) {
        return AccountRegistration.newBuilder()
                .setAccountId(p.accountId())
                .setBankId(p.bankId())
                .setPlatformId(id)
                .setHolderPartyId(p.partyId())
                .setPurpose(purpose)
                .build();
    }
}
