package io.roster.store;

/** The counters of etcd's {@code /v2/stats/store}, in its field order. */
public record StoreStats(
    long getsSuccess,
    long getsFail,
    long setsSuccess,
    long setsFail,
    long deleteSuccess,
    long deleteFail,
    long updateSuccess,
    long updateFail,
    long createSuccess,
    long createFail,
    long compareAndSwapSuccess,
    long compareAndSwapFail,
    long compareAndDeleteSuccess,
    long compareAndDeleteFail,
    long expireCount,
    long watchers) {}
