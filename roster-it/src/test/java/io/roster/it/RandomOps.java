package io.roster.it;

import static io.roster.it.DiffRequest.delete;
import static io.roster.it.DiffRequest.get;
import static io.roster.it.DiffRequest.head;
import static io.roster.it.DiffRequest.post;
import static io.roster.it.DiffRequest.put;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A seeded random sequence of v2 operations over a small keyspace under one prefix, sent to both
 * servers in lockstep through a {@link Differ} that stops at the first mismatch. What the reference
 * answered (values, modifiedIndexes, in-order names, events) feeds later operations, so
 * compare-and-swap by index, history watches and in-order keys hit real targets. TTLs are either
 * long (1000 s, never expire during the test) or 0; after a ttl=0 write the sequence waits until
 * both servers expired the node, so expiry cannot race with later operations.
 */
final class RandomOps {
  private static final String[] FILES = {"a", "b", "c", "d/x", "d/y", "d/e/z", "_h", "d/_g"};
  private static final String[] DIRS = {"d", "d/e", "q", "n", "d/e/w"};
  private static final String[] VALUES = {"v0", "v1", "v2", "", "x y", "a&b=c", "ünï", "<&>"};

  private final Differ d;
  private final long seed;
  private final String prefix;
  private final Random rnd;

  /** Known nodes by template path (in-order names as {k:N}): last value seen, or null for dirs. */
  private final Map<String, Known> known = new LinkedHashMap<>();

  /** (template path, relative index) of every notifying event seen, for history watches. */
  private final List<Object[]> events = new ArrayList<>();

  private record Known(String value, long modifiedIndex, boolean dir) {}

  RandomOps(Differ d, long seed, String prefix) {
    this.d = d;
    this.seed = seed;
    this.prefix = prefix;
    this.rnd = new Random(seed);
  }

  void run(int ops) {
    d.rebase("seed " + seed);
    for (int step = 0; step < ops; step++) {
      DiffRequest r = next();
      Normalized res = d.send(r);
      learn(r, res);
    }
    d.send(get(prefix + "?recursive=true&sorted=true"));
  }

  private String anyPath() {
    int pick = rnd.nextInt(10);
    if (pick < 6) {
      return FILES[rnd.nextInt(FILES.length)];
    }
    if (pick < 8) {
      return DIRS[rnd.nextInt(DIRS.length)];
    }
    List<String> inOrder = known.keySet().stream().filter(k -> k.contains("{k:")).toList();
    return inOrder.isEmpty()
        ? FILES[rnd.nextInt(FILES.length)]
        : inOrder.get(rnd.nextInt(inOrder.size()));
  }

  private String val() {
    return "value=" + EtcdV2Http.enc(VALUES[rnd.nextInt(VALUES.length)] + rnd.nextInt(3));
  }

  private String ttl() {
    int t = rnd.nextInt(10);
    return t < 6 ? "" : t < 9 ? "&ttl=1000" : "&ttl=0";
  }

  private DiffRequest next() {
    String p = anyPath();
    String key = p.startsWith("/") ? p : "/" + p;
    Known k = known.get(key);
    String full = prefix + key;
    int op = rnd.nextInt(100);
    if (op < 16) {
      return put(full, val() + ttl());
    } else if (op < 22) {
      return put(full + "?prevExist=false", val() + ttl());
    } else if (op < 28) {
      return put(full + "?prevExist=true", (rnd.nextBoolean() ? val() : "") + ttl());
    } else if (op < 34) {
      String pv = k != null && !k.value.isEmpty() && rnd.nextInt(4) > 0 ? k.value : "nope";
      return put(full + "?prevValue=" + EtcdV2Http.enc(pv), val() + ttl());
    } else if (op < 40) {
      return put(full + "?prevIndex=" + indexFor(k), val() + ttl());
    } else if (op < 44) {
      String pv = k != null && !k.value.isEmpty() && rnd.nextInt(4) > 0 ? k.value : "nope";
      return delete(full + "?prevValue=" + EtcdV2Http.enc(pv));
    } else if (op < 48) {
      return delete(full + "?prevIndex=" + indexFor(k));
    } else if (op < 53) {
      return delete(full);
    } else if (op < 57) {
      return delete(full + "?dir=true");
    } else if (op < 60) {
      String dir = DIRS[rnd.nextInt(DIRS.length)];
      return delete(prefix + "/" + dir + "?recursive=true");
    } else if (op < 65) {
      String dir = DIRS[rnd.nextInt(DIRS.length)];
      String flags = rnd.nextBoolean() ? "" : "?prevExist=" + rnd.nextBoolean();
      return put(prefix + "/" + dir + flags, "dir=true" + ttl());
    } else if (op < 70) {
      String dir = rnd.nextInt(4) == 0 ? FILES[rnd.nextInt(FILES.length)] : "q";
      return post(prefix + "/" + dir, val() + (rnd.nextInt(5) == 0 ? "&dir=true" : ""));
    } else if (op < 80) {
      String target = rnd.nextInt(4) == 0 ? "" : key;
      String q = "?recursive=" + rnd.nextBoolean() + "&sorted=" + rnd.nextBoolean();
      return rnd.nextInt(6) == 0 ? head(prefix + target + q) : get(prefix + target + q);
    } else if (op < 90 && !events.isEmpty()) {
      Object[] ev = events.get(rnd.nextInt(events.size()));
      String evKey = (String) ev[0];
      long idx = Math.max(1, (Long) ev[1] - rnd.nextInt(3));
      boolean recursive = rnd.nextBoolean() && evKey.lastIndexOf('/') > 0;
      String watchKey = recursive ? evKey.substring(0, evKey.lastIndexOf('/')) : evKey;
      return get(
          prefix
              + watchKey
              + "?wait=true&waitIndex={i:"
              + idx
              + "}"
              + (recursive ? "&recursive=true" : ""));
    } else if (op < 95) {
      return put(full + "?prevExist=true&refresh=true", "ttl=1000");
    } else {
      return put(full + "?prevExist=true", "dir=true&ttl=1000");
    }
  }

  private String indexFor(@Nullable Known k) {
    if (k != null && rnd.nextInt(4) > 0) {
      return "{i:" + k.modifiedIndex + "}";
    }
    return rnd.nextBoolean() ? "{i:" + (500 + rnd.nextInt(100)) + "}" : "0";
  }

  private void learn(DiffRequest r, Normalized res) {
    JsonNode j = res.json();
    if (j == null || !(res.status() == 200 || res.status() == 201)) {
      return;
    }
    String action = j.path("action").asText();
    JsonNode node = j.path("node");
    String key = node.path("key").asText();
    if (!key.startsWith(prefix) || r.target().contains("wait=true")) {
      return;
    }
    String path = key.substring(prefix.length()).replaceAll("#(\\d+)", "{k:$1}");
    long mod =
        node.path("modifiedIndex").isTextual() ? Normalized.rel(node.path("modifiedIndex")) : 0;
    boolean refresh = r.target().contains("refresh=true");
    switch (action) {
      case "set", "create", "update", "compareAndSwap" -> {
        boolean dir = node.path("dir").asBoolean(false);
        Known prev = known.get(path);
        known.keySet().removeIf(k -> k.startsWith(path + "/") && action.equals("set"));
        known.put(
            path,
            new Known(
                dir ? "" : node.path("value").asText(prev == null ? "" : prev.value), mod, dir));
        for (String anc = parent(path); anc != null; anc = parent(anc)) {
          known.putIfAbsent(anc, new Known("", mod, true));
        }
        if (!refresh) {
          events.add(new Object[] {path, mod});
        }
        if (node.has("expiration")
            && !node.has("ttl")
            && r.form() != null
            && r.form().contains("ttl=0")) {
          awaitExpired(prefix + path);
          known.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
        }
      }
      case "delete", "compareAndDelete" -> {
        known.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
        events.add(new Object[] {path, mod});
      }
      default -> {
        if (action.equals("get") && !node.path("dir").asBoolean(false)) {
          Known prev = known.get(path);
          known.put(path, new Known(node.path("value").asText(""), mod, false));
          if (prev == null) {
            return;
          }
        }
      }
    }
  }

  private static @Nullable String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? null : path.substring(0, slash);
  }

  /** Waits until the ttl=0 node is gone on both servers (each expiry takes one index). */
  private void awaitExpired(String templatePath) {
    long[] bases = {d.refBase(), d.testBase()};
    ServerProcess[] servers = {d.reference(), d.underTest()};
    for (int i = 0; i < 2; i++) {
      EtcdV2Http h = servers[i].client();
      String path = DiffRequest.expand(templatePath, bases[i]);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (h.get(path).status() != 404) {
        if (System.nanoTime() > deadline) {
          fail("seed %d: %s on %s did not expire within 5 s after ttl=0", seed, path, servers[i]);
        }
        ServerProcess.sleep(50);
      }
    }
  }
}
