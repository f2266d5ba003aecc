/**
 * Retries without retry storms: a shared {@link io.roster.lb.retry.RetryBudget}, exponential {@link
 * io.roster.lb.retry.Backoff} with full jitter, and the {@link io.roster.lb.retry.RetryFilter} that
 * retries only classifier-approved failures, only while the budget allows, and only when the retry
 * can still finish before the request's deadline.
 */
@NullMarked
package io.roster.lb.retry;

import org.jspecify.annotations.NullMarked;
