package io.linuxpatch.enrollment;

import io.linuxpatch.auth.allowlist.AllowListFile;
import io.linuxpatch.auth.allowlist.HostResolver;
import io.linuxpatch.pki.PemFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lets the fleet manager through the IP allow-list (ENR): its address is appended to {@code whitelist.path} when
 * no entry allows it yet. The edit is planned before anything is written (the new text is read back with the
 * agent's own parser: valid, every previous entry kept, the manager allowed) and applied atomically, with the
 * file's mode kept. A file that is invalid already is left alone, with the reason — enrollment does not guess
 * what an operator meant. Blocking (the parser resolves host names): call from a worker.
 */
public final class ManagerAllowList {

  /** What would happen, and the text to write when something would. */
  public record Plan(String managerIp, String newText, String outcome) {

    public boolean changes() {
      return newText != null;
    }
  }

  private static final Set<PosixFilePermission> NEW_FILE = PosixFilePermissions.fromString("rw-r--r--");

  private final Path file;
  private final HostResolver resolver;

  public ManagerAllowList(Path file, HostResolver resolver) {
    this.file = file;
    this.resolver = resolver;
  }

  /** Decides whether and how to add {@code managerIp} (null: the address is unknown, nothing to do). */
  public Plan plan(String managerIp, String comment) {
    if (managerIp == null) {
      return new Plan(null, null, "allow-list unchanged: the manager's address is not known");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(managerIp); // a literal: no lookup
    } catch (UnknownHostException e) {
      return new Plan(managerIp, null, "allow-list unchanged: \"" + managerIp + "\" is not an address");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      String created = AllowListEdit.newFile(managerIp, comment);
      return verified(created, List.of(), address, managerIp, "created " + file + " allowing the manager "
          + managerIp);
    } catch (IOException e) {
      return new Plan(managerIp, null, "allow-list unchanged: " + file + " cannot be read (" + e.getMessage() + ")");
    }
    AllowListFile.Result current = new AllowListFile(resolver).parse(text);
    if (current instanceof AllowListFile.Invalid invalid) {
      return new Plan(managerIp, null, "allow-list unchanged: " + file + " is invalid already (" + invalid.summary()
          + "); add " + managerIp + " by hand once it is fixed");
    }
    AllowListFile.Valid valid = (AllowListFile.Valid) current;
    if (valid.allowList().allows(address)) {
      return new Plan(managerIp, null, "allow-list unchanged: it allows the manager " + managerIp + " already");
    }
    Optional<String> edited = AllowListEdit.withEntry(text, managerIp, comment);
    if (edited.isEmpty()) {
      return new Plan(managerIp, null, "allow-list unchanged: the layout of " + file + " is not one enrollment "
          + "edits; add " + managerIp + " to its entries by hand");
    }
    return verified(edited.get(), valid.entries(), address, managerIp, "added the manager " + managerIp + " to "
        + file);
  }

  /** Writes the plan's text atomically (temp, fsync, rename, directory fsync), keeping the file's mode. */
  public void apply(Plan plan) throws IOException {
    if (!plan.changes()) {
      return;
    }
    Set<PosixFilePermission> mode = Files.exists(file) ? Files.getPosixFilePermissions(file) : NEW_FILE;
    PemFiles.writeAtomically(file, plan.newText().getBytes(StandardCharsets.UTF_8), mode);
  }

  private Plan verified(String text, List<String> before, InetAddress address, String managerIp, String outcome) {
    AllowListFile.Result after = new AllowListFile(resolver).parse(text);
    if (after instanceof AllowListFile.Valid valid && valid.allowList().allows(address)
        && valid.entries().containsAll(before) && valid.entries().size() == before.size() + 1) {
      return new Plan(managerIp, text, outcome);
    }
    List<String> why = new ArrayList<>();
    if (after instanceof AllowListFile.Invalid invalid) {
      why.addAll(invalid.problems());
    } else {
      why.add("the edited list does not read back as the old one plus the manager");
    }
    return new Plan(managerIp, null, "allow-list unchanged: the edit of " + file + " would not be valid ("
        + String.join("; ", why) + "); add " + managerIp + " by hand");
  }
}
