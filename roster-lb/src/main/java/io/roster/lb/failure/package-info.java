/**
 * Passive failure detection: per-endpoint ejection on consecutive failures or a low success rate,
 * and cluster-relative latency-outlier ejection, with exponential ejection times, a cap on the
 * ejected share, and one probe request before an endpoint comes back.
 *
 * <p>Public: {@link io.roster.lb.failure.FailureDetector}, {@link
 * io.roster.lb.failure.EndpointHealth}, {@link io.roster.lb.failure.Ejector} (the detector, with
 * its builder) and {@link io.roster.lb.failure.EjectionReason}. Everything else is package-private.
 */
@NullMarked
package io.roster.lb.failure;

import org.jspecify.annotations.NullMarked;
