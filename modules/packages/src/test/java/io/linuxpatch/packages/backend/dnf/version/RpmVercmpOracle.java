package io.linuxpatch.packages.backend.dnf.version;

import static org.assertj.core.api.Assertions.assertThat;

import io.linuxpatch.process.ProcessResult;
import io.linuxpatch.process.ProcessRunner;
import io.linuxpatch.process.ProcessSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real rpm as the judge of version order: all pairs go into ONE {@code rpm --eval '%{lua: …}'} call
 * that prints {@code rpm.vercmp(a, b)} for each. HOME points at a scratch directory so that no
 * {@code ~/.rpmmacros} of the machine is read; {@code --eval} opens no database.
 */
final class RpmVercmpOracle {

  private RpmVercmpOracle() {
  }

  /** rpm's verdict (-1, 0, 1) for each pair, in order. Versions must not contain quotes, backslashes or %. */
  static List<Integer> verdicts(List<String[]> pairs, Path home) {
    StringBuilder lua = new StringBuilder("%{lua: local p = {");
    for (String[] pair : pairs) {
      for (String v : pair) {
        assertThat(v).doesNotContain("\"", "\\", "%", "}", "{");
      }
      lua.append("{\"").append(pair[0]).append("\",\"").append(pair[1]).append("\"},");
    }
    // rpm's Lua print() appends to the expansion without a newline: a space keeps the verdicts apart.
    lua.append("} for i = 1, #p do print(rpm.vercmp(p[i][1], p[i][2]) .. \" \") end}");
    ProcessResult result = ProcessRunner.create().run(ProcessSpec.of(List.of("/usr/bin/rpm", "--eval", lua.toString()))
        .withExtraEnv(Map.of("HOME", home.toString())));
    assertThat(result.succeeded()).as("rpm --eval: %s", result.stderr().text()).isTrue();
    List<Integer> verdicts = new ArrayList<>();
    for (String word : result.stdout().text().strip().split("\\s+")) {
      verdicts.add(Integer.parseInt(word));
    }
    assertThat(verdicts).hasSize(pairs.size());
    return verdicts;
  }
}
