package io.linuxpatch.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * Turns what stops a fleet command before it could talk to the hosts into one line on stderr and an exit code, not a
 * stack trace: bad input (a malformed host list, an impossible option value) is a usage error (2), a file that cannot
 * be read or written, or a plan or run file that is not one, is an error (1).
 */
final class CommandErrors {

  private CommandErrors() {
  }

  static int guard(Callable<Integer> command) throws Exception {
    try {
      return command.call();
    } catch (IllegalArgumentException bad) {
      System.err.println("linux-patch-api fleet: " + bad.getMessage());
      return ExitCodes.USAGE;
    } catch (java.nio.file.NoSuchFileException e) {
      System.err.println("linux-patch-api fleet: no such file: " + e.getFile());
      return ExitCodes.ERROR;
    } catch (IOException | UncheckedIOException e) {
      System.err.println("linux-patch-api fleet: " + e.getMessage());
      return ExitCodes.ERROR;
    }
  }
}
