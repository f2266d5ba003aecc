package io.roster.server.http;

/**
 * The shared, thread-safe parts every connection dispatches to: one instance per server.
 *
 * @param keys {@code /v2/keys}
 * @param members {@code /v2/members}, {@code /v2/machines}
 * @param stats {@code /v2/stats/*}
 * @param health {@code /health}, {@code /version}, {@code /metrics}
 * @param auth {@code /v2/auth/*}
 */
record Endpoints(
    KeysHandler keys,
    MembersHandler members,
    StatsHandler stats,
    HealthHandler health,
    AuthHandler auth,
    ClusterView cluster,
    HttpMetrics metrics,
    HttpLimits limits,
    Cors cors) {}
