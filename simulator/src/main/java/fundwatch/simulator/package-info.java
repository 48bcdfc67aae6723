/**
 * A deterministic simulated market, published through the public contract.
 *
 * <p>Public API: {@link fundwatch.simulator.MarketConfig} says what market to simulate,
 * {@link fundwatch.simulator.MarketSimulator} yields its registry, its lazily generated event stream
 * ({@link fundwatch.simulator.SimEvent}) and the ground truth of planted schemes
 * ({@link fundwatch.simulator.TruthRecord}, written by {@link fundwatch.simulator.TruthWriter});
 * {@link fundwatch.simulator.Publisher} sends it all to Kafka, paced by
 * {@link fundwatch.simulator.Pacing}.
 *
 * <p>Inside: {@code World} builds who exists at the start (people, shops, employers, platforms with
 * their lenders and loan books), {@code Engine} is the lazy discrete-event loop (and adds redeliveries
 * and late arrivals), and actors schedule themselves on it: {@code PlatformBusiness} (the custody
 * business of one platform, its ledger kept according to a {@code Conduct}), {@code BackgroundTraffic}
 * (shops, transfers, payrolls, business payments) and one actor per scheme ({@code BypassCollection}).
 *
 * <p>To plant a new scheme: add it to {@link fundwatch.simulator.Scheme} with its detectors, give its
 * platform a {@code Conduct} or an actor of its own in {@code MarketSimulator.events()}, draw from the
 * scheme's own random stream ({@code World.schemeRngs}) so that its draws never shift another actor's, and
 * add a test that finds its evidence after onset and none before.
 */
package fundwatch.simulator;
