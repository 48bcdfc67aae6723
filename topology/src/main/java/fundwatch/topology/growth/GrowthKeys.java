package fundwatch.topology.growth;

import java.util.Locale;

/**
 * Keys of D6's stores. Day and lender keys start with the platform id and a separator, so one platform's days are
 * one prefix scan, in day order (epoch days zero-padded), for the detector and for {@code GET
 * /platforms/{id}/series}.
 */
public final class GrowthKeys {
    public static final String SEPARATOR = "|";

    private GrowthKeys() {
    }

    public static String dayPrefix(String platformId) {
        return platformId + SEPARATOR;
    }

    public static String day(String platformId, long epochDay) {
        return dayPrefix(platformId) + String.format(Locale.ROOT, "%08d", epochDay);
    }

    public static long dayOf(String dayKey) {
        return Long.parseLong(dayKey.substring(dayKey.lastIndexOf(SEPARATOR) + 1));
    }

    public static String lender(String platformId, String partyId) {
        return platformId + SEPARATOR + partyId;
    }
}
