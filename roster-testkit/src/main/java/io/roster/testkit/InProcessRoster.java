package io.roster.testkit;

import io.roster.server.RosterServer;
import io.roster.server.ServerConfig;
import io.roster.server.cluster.InitialCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real single-member Roster server in this JVM, on free {@code 127.0.0.1} ports with a temporary
 * data directory: Ratis on disk, Netty on loopback, the same code path as {@code bin/roster}.
 *
 * <p>{@link #stop()} and {@link #start()} take the member down and bring it back on the same ports
 * with the same data (an outage, as a client sees it); {@link #close()} stops it and deletes the
 * data. Methods are {@code synchronized}; starting blocks until the member has a leader.
 */
public final class InProcessRoster implements AutoCloseable {
  private final ServerConfig config;
  private final Path dir;
  private @Nullable RosterServer server;

  private InProcessRoster(ServerConfig config, Path dir) {
    this.config = config;
    this.dir = dir;
  }

  /**
   * Starts a new single-member cluster and waits until it serves clients.
   *
   * @throws UncheckedIOException if no directory or port can be had, or the member fails to start
   */
  public static InProcessRoster start(String name) {
    try {
      Path dir = Files.createTempDirectory("roster-" + name);
      URI clientUrl = URI.create("http://127.0.0.1:" + freePort());
      URI peerUrl = URI.create("http://127.0.0.1:" + freePort());
      ServerConfig config =
          new ServerConfig(
              name,
              dir.resolve("data"),
              List.of(clientUrl),
              List.of(clientUrl),
              List.of(peerUrl),
              List.of(peerUrl),
              InitialCluster.parse(name + "=" + peerUrl),
              "new",
              "roster-testkit",
              100_000,
              Duration.ofSeconds(5),
              List.of("*"));
      InProcessRoster roster = new InProcessRoster(config, dir);
      roster.start();
      return roster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port that was free a moment ago on 127.0.0.1 (nothing listens on it now). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The client URL, e.g. {@code http://127.0.0.1:41234}; stable across stop and start. */
  public URI clientUrl() {
    return config.advertiseClientUrls().get(0);
  }

  /** Whether the member is running. */
  public synchronized boolean running() {
    return server != null;
  }

  /**
   * Starts the member again after {@link #stop()}, recovering its data; no-op if it runs.
   *
   * @throws UncheckedIOException if it cannot start
   */
  public synchronized void start() {
    if (server == null) {
      try {
        server = RosterServer.start(config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Stops the member, closing every client connection; keeps its data. No-op if stopped. */
  public synchronized void stop() {
    RosterServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
  }

  /** Stops the member and deletes its data directory (best effort). */
  @Override
  public synchronized void close() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // The directory is temporary; the OS reclaims what is left.
    }
  }
}
