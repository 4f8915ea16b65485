package io.linuxpatch.agent;

import io.linuxpatch.audit.Anchor;
import io.linuxpatch.audit.AuditVerification;
import io.linuxpatch.audit.AuditVerifier;
import io.linuxpatch.audit.seal.VerificationKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code linux-patch-api audit verify FILE...} (AUD-2, AUD-5): checks the hash chain across rotated files, the
 * sealed checkpoints (with the off-host verification key) and the chain heads kept outside the file. Read-only:
 * it takes no lock and may run beside the agent.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the tamper-evident audit log.",
    subcommands = {AuditCommand.Verify.class})
public final class AuditCommand {

  /** Verifies the chain of the given files (plain or .gz, oldest first; a directory means all its audit files). */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the SHA-256 chain of audit files (oldest first; .gz allowed; a directory = all of its "
          + "audit files) and their sealed checkpoints. Prints the first broken record; exit 0 when intact, 1 "
          + "otherwise.")
  static final class Verify implements Callable<Integer> {

    @Option(names = "--key", paramLabel = "FILE", description = "the verification key exported at enrolment "
        + "(verification-key-<id>.json, kept off the host): recompute every checkpoint's seal")
    Path key;

    @Option(names = "--anchor", paramLabel = "SEQ[:HASH]", description = "a chain head known from outside the "
        + "file (e.g. the lpa_audit_seq metric, or a record's seq and hash): the log must reach it with that hash")
    List<String> anchors = new ArrayList<>();

    @Option(names = "--anchors", paramLabel = "FILE", description = "audit records received by a collector "
        + "(syslog lines or `events --address lpa.audit.events` output): each checkpoint in it is an anchor")
    List<Path> anchorFiles = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
      List<Path> ordered = new ArrayList<>();
      for (Path file : files) {
        if (Files.isDirectory(file)) {
          ordered.addAll(AuditVerifier.filesOldestFirst(file));
        } else {
          ordered.add(file);
        }
      }
      List<Anchor> known = new ArrayList<>();
      try {
        for (String anchor : anchors) {
          known.add(Anchor.parse(anchor));
        }
      } catch (IllegalArgumentException e) {
        System.err.println("audit verify: " + e.getMessage());
        return 2;
      }
      for (Path file : anchorFiles) {
        known.addAll(Anchor.checkpointsIn(file));
      }
      AuditVerification result = new AuditVerifier(key == null ? null : VerificationKey.read(key), known)
          .verify(ordered);
      if (result.ok()) {
        System.out.println("OK " + result.toJson().encode());
        return 0;
      }
      System.out.println("BROKEN " + result);
      return 1;
    }
  }
}
