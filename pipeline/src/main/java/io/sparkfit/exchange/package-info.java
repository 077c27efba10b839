/**
 * How the workers of an epoch's barrier stage combine their states, round by round: the example-weighted
 * average of their parameters (and updater state, as {@code training.updater-state} says), with every
 * worker taking part in every round.
 *
 * <p>The public surface is small: a driver's {@link io.sparkfit.exchange.Coordinator} opens epochs and
 * keeps the state each ends with; a task's {@link io.sparkfit.exchange.WorkerExchange} joins an epoch
 * and runs its rounds; a {@link io.sparkfit.exchange.Ticket} tells tasks where to join. Behind them
 * sit the topologies ({@code training.exchange}): a star through the driver, or a ring among
 * the workers (the driver then only introduces them, watches their progress and takes the final
 * state). The averaging arithmetic is one pure class ({@code WeightedAverage}); connections, stage
 * attempts and state versions each have one owner.
 */
package io.sparkfit.exchange;
