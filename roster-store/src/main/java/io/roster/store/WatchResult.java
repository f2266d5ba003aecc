package io.roster.store;

/** What {@link Store#watch} returns: a registered {@link Watch}, or a {@link StoreError} (401). */
public sealed interface WatchResult permits Watch, StoreError {}
