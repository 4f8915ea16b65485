package io.linuxpatch.agent;

import io.linuxpatch.audit.AuditVerification;
import io.linuxpatch.audit.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code linux-patch-api audit verify FILE...} (AUD-2): checks the hash chain across rotated files. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Work with the tamper-evident audit log.",
    subcommands = {AuditCommand.Verify.class})
public final class AuditCommand {

  /** Verifies the chain of the given files (plain or .gz, oldest first; a directory means all its audit files). */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the SHA-256 chain of audit files (oldest first; .gz allowed; a directory = all of its "
          + "audit files). Prints the first broken record; exit 0 when intact, 1 otherwise.")
  static final class Verify implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Override
    public Integer call() throws java.io.IOException {
      List<Path> ordered = new ArrayList<>();
      for (Path file : files) {
        if (Files.isDirectory(file)) {
          ordered.addAll(AuditVerifier.filesOldestFirst(file));
        } else {
          ordered.add(file);
        }
      }
      AuditVerification result = new AuditVerifier().verify(ordered);
      if (result.ok()) {
        System.out.println("OK " + result.toJson().encode());
        return 0;
      }
      System.out.println("BROKEN " + result);
      return 1;
    }
  }
}
