package io.roster.server.http;

import org.jspecify.annotations.Nullable;

/**
 * A validated {@code /v2/keys} request: etcd's {@code etcdserverpb.Request} as {@code
 * parseKeyRequest} builds it, before the method decides which store operation it is ({@link
 * KeyPlan}).
 *
 * @param method the HTTP method (GET, HEAD, PUT, POST or DELETE)
 * @param key the clean store key ("/" for the root)
 * @param value {@code value}, "" when absent
 * @param prevValue {@code prevValue}; null when absent (present-but-empty is rejected)
 * @param prevIndex {@code prevIndex}, 0 when absent; unsigned values above {@code Long.MAX_VALUE}
 *     are clamped to it
 * @param waitIndex {@code waitIndex}, 0 when absent; clamped like prevIndex
 * @param ttlSeconds {@code ttl}; null when absent or empty (no TTL)
 * @param prevExist {@code prevExist}; null when absent
 * @param waitRequested {@code wait=true}
 * @param refresh {@code refresh=true}
 */
record KeyRequest(
    String method,
    String key,
    String value,
    boolean dir,
    @Nullable String prevValue,
    long prevIndex,
    long waitIndex,
    boolean recursive,
    boolean sorted,
    boolean waitRequested,
    boolean quorum,
    boolean stream,
    boolean noValueOnSuccess,
    @Nullable Long ttlSeconds,
    @Nullable Boolean prevExist,
    boolean refresh)
    implements KeyParse {}
