package io.sparkfit.output;

import io.sparkfit.Failures;
import io.sparkfit.InvalidInputException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses an output that would replace, or be written into, one of the job's inputs: an output that
 * equals an input, contains one (replacing it would delete the input) or lies inside one (its files
 * would become part of the input). Called before any data is read and before anything is written.
 *
 * <p>Paths are compared as their file systems resolve them: qualified with scheme and authority
 * (a missing port matches any), relative paths against the working directory, {@code ..} and
 * trailing slashes normalised, symbolic links followed on the local file system, and globs expanded
 * to what they match.
 */
public final class OutputOverlap {
  private OutputOverlap() {}

  /** A path as a job's argument or config key gives it: {@code output.dir}, {@code data.train}, {@code --data}. */
  public record Named(String key, String location) {
    @Override
    public String toString() {
      return key + " " + location;
    }
  }

  /** Fails with one line naming both when {@code output} equals, contains or lies inside any of {@code inputs}. */
  public static void refuse(Configuration hadoop, Named output, List<Named> inputs) {
    Resolved out = resolve(hadoop, output, false).get(0);
    for (Named input : inputs) {
      for (Resolved in : resolve(hadoop, input, true)) {
        String relation = out.relationTo(in);
        if (relation != null) {
          throw InvalidInputException.of(
              "%s%s %s %s%s: Sparkfit never writes over or into its inputs; choose another %s",
              output,
              out.shownIfDifferent(output.location()),
              relation,
              input,
              in.shownIfDifferent(input.location()),
              output.key());
        }
      }
    }
  }

  /** A location as a file system resolves it. */
  private record Resolved(String scheme, String host, int port, List<String> components) {
    /** How {@code this} (the output) stands to {@code input}, or null when they are apart. */
    String relationTo(Resolved input) {
      if (!scheme.equals(input.scheme) || !host.equals(input.host) || port != input.port && port != -1 && input.port != -1) {
        return null;
      }
      if (components.equals(input.components)) {
        return "is the same as";
      }
      if (isPrefix(components, input.components)) {
        return "contains";
      }
      if (isPrefix(input.components, components)) {
        return "lies inside";
      }
      return null;
    }

    String path() {
      return "/" + String.join("/", components);
    }

    String shownIfDifferent(String given) {
      String display = "file".equals(scheme) ? path() : scheme + "://" + host + (port == -1 ? "" : ":" + port) + path();
      return display.equals(given) ? "" : " (" + display + ")";
    }

    private static boolean isPrefix(List<String> prefix, List<String> of) {
      return prefix.size() < of.size() && of.subList(0, prefix.size()).equals(prefix);
    }
  }

  private static List<Resolved> resolve(Configuration hadoop, Named named, boolean expandGlobs) {
    try {
      Path path = new Path(named.location());
      URI given = path.toUri();
      boolean complete = given.getScheme() != null && given.getAuthority() != null && path.isAbsolute();
      boolean glob = expandGlobs && isGlob(named.location());
      List<Path> matches = new ArrayList<>();
      if (complete && !glob) {
        // Fully qualified already: compared as written, without reaching its file system.
        matches.add(path);
      } else {
        FileSystem fs = path.getFileSystem(hadoop);
        Path qualified = fs.makeQualified(path);
        if (glob) {
          FileStatus[] found = fs.globStatus(qualified);
          if (found != null) {
            Arrays.stream(found).map(FileStatus::getPath).forEach(matches::add);
          }
        } else {
          matches.add(qualified);
        }
      }
      List<Resolved> resolved = new ArrayList<>();
      for (Path match : matches) {
        URI uri = match.toUri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? (uri.getAuthority() == null ? "" : uri.getAuthority()) : uri.getHost();
        String p = "file".equals(scheme) ? realLocalPath(uri.getPath()) : uri.getPath();
        List<String> components = Arrays.stream(p.split("/")).filter(c -> !c.isEmpty()).toList();
        resolved.add(new Resolved(scheme, host.toLowerCase(Locale.ROOT), uri.getPort(), components));
      }
      return resolved;
    } catch (IOException | IllegalArgumentException e) {
      throw InvalidInputException.of("Cannot reach %s: %s", named, Failures.rootMessage(e));
    }
  }

  private static boolean isGlob(String location) {
    return location.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /**
   * The path with symbolic links followed: the longest part that exists, as the operating system
   * resolves it, then the rest as written (already free of {@code ..}).
   */
  private static String realLocalPath(String path) throws IOException {
    java.nio.file.Path given = Paths.get(path);
    java.nio.file.Path existing = given;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    return existing.toRealPath().resolve(existing.relativize(given)).normalize().toString();
  }
}
