package fundwatch.topology.platformflow;

import fundwatch.avro.AccountPurpose;
import com.fasterxml.jackson.annotation.JsonIgnore;
import fundwatch.avro.PartyType;

/**
 * One side of a clearing payment that touches an account registered to a platform, keyed by that platform.
 * A payment between two registered accounts yields two legs. Carrying the registry facts resolved at
 * classification time keeps the detectors downstream free of registry lookups.
 *
 * @param counterpartyOfSamePlatform the other account is registered to the same platform, or held by the
 *                                   same party: money moving within the platform, not from the public
 */
public record PlatformLeg(
        String platformId,
        String regionCode,
        String kind,
        String accountId,
        AccountPurpose purpose,
        Direction direction,
        String paymentId,
        long amountMinor,
        long eventTime,
        String counterpartyAccountId,
        String counterpartyPartyId,
        PartyType counterpartyPartyType,
        boolean counterpartyOfSamePlatform) {

    public enum Direction { IN, OUT }

    /** The kind of a {@link #progressMark}: not a payment side, and no platform's. */
    public static final String PROGRESS_KIND = "~PROGRESS";

    /**
     * A progress mark: "the clearing partition this came from has been read up to {@code eventTime}". The
     * classifier sends one to a repartition partition that has heard nothing from it for a while, so that D3b can
     * tell a clearing partition that is quiet for its platforms from one that lags behind (replaying a backlog,
     * they look alike: nothing arrives). It travels in the same partition as the legs, so it never overtakes them.
     */
    public static PlatformLeg progressMark(long eventTime) {
        return new PlatformLeg(null, null, PROGRESS_KIND, null, null, null, null, 0, eventTime, null, null, null,
                false);
    }

    @JsonIgnore
    public boolean isProgressMark() {
        return PROGRESS_KIND.equals(kind) && platformId == null;
    }

    /** The counterparty as shown in evidence: the party token where known, else the account. */
    public String counterpartyId() {
        return counterpartyPartyId != null ? counterpartyPartyId : counterpartyAccountId;
    }
}
