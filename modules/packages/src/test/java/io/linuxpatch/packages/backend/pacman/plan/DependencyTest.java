package io.linuxpatch.packages.backend.pacman.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** pacman's relation strings and libalpm's satisfaction rules (names, versions, provisions). */
class DependencyTest {

  @Test
  @DisplayName("Parses name, operator and version; an optional dependency's description is dropped")
  void parses() {
    assertThat(Dependency.parse("glibc")).isEqualTo(new Dependency("glibc", null, null));
    assertThat(Dependency.parse("demo-lib>=2.0")).isEqualTo(new Dependency("demo-lib", ">=", "2.0"));
    assertThat(Dependency.parse("libssl.so=3-64")).isEqualTo(new Dependency("libssl.so", "=", "3-64"));
    assertThat(Dependency.parse("foo<1:2")).isEqualTo(new Dependency("foo", "<", "1:2"));
    assertThat(Dependency.parse("perl: for the scripts")).isEqualTo(new Dependency("perl", null, null));
  }

  @Test
  @DisplayName("Satisfied by name and version (pkgrel ignored when the relation has none) or by a provision")
  void satisfaction() {
    assertThat(Dependency.parse("demo-lib>=2.0").satisfiedBy("demo-lib", "2.0-1", List.of())).isTrue();
    assertThat(Dependency.parse("demo-lib>2.0").satisfiedBy("demo-lib", "2.0-1", List.of())).isFalse();
    assertThat(Dependency.parse("demo-lib<2.0").satisfiedBy("demo-lib", "1.9-3", List.of())).isTrue();
    assertThat(Dependency.parse("sh").satisfiedBy("sandbox-sh", "1.0-1", List.of("sh"))).isTrue();
    // an unversioned provision does not satisfy a versioned relation; a versioned one is compared
    assertThat(Dependency.parse("sh>=1").satisfiedBy("sandbox-sh", "1.0-1", List.of("sh"))).isFalse();
    assertThat(Dependency.parse("libssl.so>=3").satisfiedBy("openssl", "3.2-1", List.of("libssl.so=3-64"))).isTrue();
    assertThat(Dependency.parse("other").satisfiedBy("openssl", "3.2-1", List.of("libssl.so=3-64"))).isFalse();
  }
}
