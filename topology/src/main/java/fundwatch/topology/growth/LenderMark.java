package fundwatch.topology.growth;

/**
 * One lender party on one platform, as D6 remembers it: the principal it has invested and not yet had back
 * ({@code o}), and the last day it moved money ({@code s}). Two numbers per lender, so the memory stays small;
 * a lender with no open position that has not moved money within {@code lenderMemoryDays} is forgotten.
 */
public record LenderMark(long o, long s) {
}
