package io.roster.it.fault;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The class path for member JVMs, with Roster's own jars copied once per test JVM. A member is
 * restarted many times during a fault run; if {@code mvn install} replaces {@code
 * roster-server.jar} in the local repository meanwhile, a restarted member would load classes from
 * a half-written or different jar ({@code NoClassDefFoundError} in the middle of a history). The
 * copies keep every member of a run on the same bytes. Thread-safe.
 */
final class ClassPathSnapshot {
  private static @Nullable String snapshot;

  private ClassPathSnapshot() {}

  static synchronized String get() {
    String s = snapshot;
    if (s == null) {
      s = copy();
      snapshot = s;
    }
    return s;
  }

  private static String copy() {
    String cp = System.getProperty("surefire.test.class.path", "");
    if (cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    try {
      Path dir = Files.createTempDirectory("roster-fault-cp-");
      dir.toFile().deleteOnExit();
      List<String> out = new ArrayList<>();
      int n = 0;
      for (String entry :
          Pattern.compile(Pattern.quote(File.pathSeparator)).splitAsStream(cp).toList()) {
        Path p = Path.of(entry);
        if (entry.endsWith(".jar") && entry.contains("/io/roster/") && Files.isRegularFile(p)) {
          Path copy = dir.resolve(n++ + "-" + p.getFileName());
          Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
          copy.toFile().deleteOnExit();
          out.add(copy.toString());
        } else {
          out.add(entry);
        }
      }
      return String.join(File.pathSeparator, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the class path", e);
    }
  }
}
