package fundwatch.topology.alert;

/**
 * What the alert lifecycle remembers of one (detector, subject) (see {@link AlertIds}): its latest episode, in a
 * value of fixed size however long the episode runs. Earlier episodes of the same subject are not kept — a new
 * episode only opens after the previous one closed — so a finding that belongs to one of them is counted and
 * dropped.
 *
 * @param alertId            the episode's id, fixed when it opened
 * @param anchor             the window start the id was derived from (the first finding's windowStart)
 * @param windowStart        the earliest window start of any finding in the episode (reported as windowStart)
 * @param windowEnd          the latest window end of any finding in the episode (reported as windowEnd)
 * @param firingEnd          the end of the latest day on which the finding was seen true (see
 *                           {@link AlertLifecycleProcessor#firingEnd})
 * @param retainMillis       how long past {@code firingEnd} the episode is remembered once it stops firing
 * @param revision           the last emitted revision
 * @param severity           the severity of the last emitted revision
 * @param materialValue      the material value of the last emitted revision (growth is measured against it)
 * @param announcedWindowEnd the windowEnd carried by the last emitted revision
 */
public record Episode(String alertId, long anchor, long windowStart, long windowEnd, long firingEnd,
        long retainMillis, int revision, String severity, double materialValue, long announcedWindowEnd) {
}
