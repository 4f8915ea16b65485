package io.linuxpatch.system;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A process still running deleted (upgraded) files: the binary or libraries it was started with were
 * replaced on disk, so it keeps running the old code until it is restarted.
 *
 * @param pid          the process id
 * @param command      the kernel's short command name ({@code /proc/<pid>/comm})
 * @param executable   the executable's path without the kernel's {@code " (deleted)"} mark; null when unreadable
 * @param deletedFiles the deleted files it still maps or runs, sorted, at most {@link DeletedFileUsers#MAX_FILES}
 * @param service      the systemd service it belongs to, null when it belongs to none
 */
public record StaleProcess(long pid, String command, String executable, List<String> deletedFiles, String service) {

  public StaleProcess {
    deletedFiles = List.copyOf(deletedFiles);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("pid", pid)
        .put("command", command)
        .put("executable", executable)
        .put("deleted_files", new JsonArray(deletedFiles))
        .put("service", service);
  }
}
