package io.sparkfit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a directory tree holds, file by file: every file's SHA-256, every directory and every
 * symbolic link (not followed), hidden ones included. Two digests are equal when nothing in the tree
 * was added, removed or changed, which is how tests show that a refused run touched nothing.
 */
public final class TreeDigest {
  private TreeDigest() {}

  /** Relative path to {@code sha256:...}, {@code dir} or {@code link -> target}; empty for a missing root. */
  public static SortedMap<String, String> of(Path root) {
    SortedMap<String, String> entries = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return entries;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        String name = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          entries.put(name, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          entries.put(name, "dir");
        } else {
          entries.put(name, "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }
}
