package io.roster.store;

import static io.roster.store.StoreFixtures.NOW;
import static io.roster.store.StoreFixtures.SECOND;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Drives a store with a seeded random mix of every operation over a small, collision-prone key
 * space, advancing a simulated replicated clock. The draws never depend on outcomes, so two stores
 * driven with the same seed see the same operations.
 */
final class RandomOps {
  private static final String[] KEYS = {
    "/", "/a", "/a/b", "/a/b/c", "/a/_h", "/d", "/d/e", "/d/e/f", "/_x", "/d/ü", "/q"
  };
  private static final String[] VALUES = {"", "v", "w", "<&>", "\n\u0001", "ü😀", "\ufffd"};

  private final Random random;
  private long now = NOW;

  RandomOps(long seed) {
    this.random = new Random(seed);
  }

  long now() {
    return now;
  }

  /** Applies {@code n} random operations; returns every outcome body, in order. */
  List<String> run(Store store, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      step(store, out);
    }
    return out;
  }

  private void step(Store store, List<String> out) {
    now += random.nextInt(3) * SECOND / 2 + random.nextInt(1000);
    String key = KEYS[random.nextInt(KEYS.length)];
    String value = VALUES[random.nextInt(VALUES.length)];
    Long ttl = random.nextInt(3) == 0 ? Long.valueOf(random.nextInt(5)) : null;
    boolean flag = random.nextBoolean();
    boolean flag2 = random.nextInt(4) == 0;
    long prevIndex =
        random.nextInt(3) == 0 ? 0 : Math.max(0, store.currentIndex() - random.nextInt(4));
    String prevValue = random.nextBoolean() ? null : VALUES[random.nextInt(VALUES.length)];
    switch (random.nextInt(10)) {
      case 0, 1 -> add(out, store.set(key, flag2, value, ttl, false, now));
      case 2 -> add(out, store.set(key, false, "", ttl == null ? 3L : ttl, true, now));
      case 3 -> add(out, store.create(key, flag2, value, flag, ttl, now));
      case 4 -> add(out, store.update(key, flag2 ? "" : value, ttl, flag && ttl != null, now));
      case 5 -> add(out, store.compareAndSwap(key, prevValue, prevIndex, value, ttl, false, now));
      case 6 -> add(out, store.delete(key, flag, flag2, now));
      case 7 -> add(out, store.compareAndDelete(key, prevValue, prevIndex, now));
      case 8 -> add(out, store.get(key, flag, flag2, now));
      default -> {
        for (Event e : store.deleteExpired(now)) {
          add(out, e);
        }
      }
    }
  }

  private static void add(List<String> out, Outcome o) {
    out.add(o.httpStatus() + " " + o.index() + " " + StoreFixtures.body(o));
  }
}
