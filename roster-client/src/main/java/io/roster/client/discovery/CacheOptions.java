package io.roster.client.discovery;

import java.time.Duration;

/**
 * How an {@link InstanceCache} guards its list. Immutable.
 *
 * @param maxRemovalShare the share of the current instances (0..1) one update may remove on the
 *     word of the watch alone. An update that removes more — a deleted directory, a resync snapshot
 *     that lacks many instances, or simply the last instance going away — is applied only after a
 *     quorum read of the prefix confirms it, and the read's result is what gets applied. 1 turns
 *     the check off; 0 confirms every removal. Default 0.5.
 * @param confirmBackoffMax the longest pause between attempts of a confirmation read that failed
 *     (they start at 100 ms and double); while confirming, the list stays as it was. Default 5 s.
 */
public record CacheOptions(double maxRemovalShare, Duration confirmBackoffMax) {
  private static final CacheOptions DEFAULTS = new CacheOptions(0.5, Duration.ofSeconds(5));

  /** Validates the figures. */
  public CacheOptions {
    if (!(maxRemovalShare >= 0 && maxRemovalShare <= 1)) {
      throw new IllegalArgumentException("maxRemovalShare must be in [0, 1]: " + maxRemovalShare);
    }
    if (confirmBackoffMax.isNegative() || confirmBackoffMax.isZero()) {
      throw new IllegalArgumentException("confirmBackoffMax must be positive");
    }
  }

  /** Removal budget 0.5, confirmation backoff up to 5 s. */
  public static CacheOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with another removal budget. */
  public CacheOptions withMaxRemovalShare(double share) {
    return new CacheOptions(share, confirmBackoffMax);
  }

  /** A copy with another confirmation backoff bound. */
  public CacheOptions withConfirmBackoffMax(Duration max) {
    return new CacheOptions(maxRemovalShare, max);
  }
}
