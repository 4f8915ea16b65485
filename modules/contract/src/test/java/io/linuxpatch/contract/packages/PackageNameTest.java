package io.linuxpatch.contract.packages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Package names are accepted only in the backend's form and never as an operator or option")
class PackageNameTest {

  private static final Predicate<String> KNOWS_GPP = Set.of("g++", "libstdc++")::contains;

  private static Validation.Invalid rejected(String name, Backend backend) {
    Validation v = PackageName.validate(name, backend, KNOWS_GPP);
    assertThat(v).as("validation of %s", name).isInstanceOf(Validation.Invalid.class);
    return (Validation.Invalid) v;
  }

  @ParameterizedTest(name = "apt accepts {0}")
  @ValueSource(strings = {"coreutils", "libc6", "g++", "libstdc++", "python3.11", "linux-image-6.1.0-18-amd64",
      "0ad", "a0"})
  @DisplayName("Ordinary Debian names and known names ending in + are accepted for apt")
  void aptAccepts(String name) {
    assertThat(PackageName.validate(name, Backend.APT, KNOWS_GPP)).isEqualTo(new Validation.Valid(name));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      -oAPT::Update::Pre-Invoke::=x | leading-dash
      -f                            | leading-dash
      --purge                       | leading-dash
      coreutils-                    | trailing-dash
      vim+                          | trailing-plus
      c++                           | trailing-plus
      vim=2:9.0                     | forbidden-character
      vim/bookworm-backports        | forbidden-character
      libc6:i386                    | forbidden-character
      lib*                          | forbidden-character
      ?installed                    | forbidden-character
      vi?                           | forbidden-character
      Vim                           | pattern
      lib_foo                       | pattern
      a                             | pattern
      .hidden                       | pattern
      +foo                          | pattern
      vim—x                         | pattern
      """)
  @DisplayName("Hostile or foreign names are refused for apt, naming the rule they break")
  void hostileNamesForApt(String name, String rule) {
    assertThat(rejected(name, Backend.APT).rule()).isEqualTo(rule);
  }

  @Test
  @DisplayName("Whitespace, NUL and other control characters are refused and shown escaped in the message")
  void whitespaceAndControl() {
    assertThat(rejected("vim emacs", Backend.APT).rule()).isEqualTo("whitespace");
    assertThat(rejected("vim\temacs", Backend.APT).rule()).isEqualTo("control-character");
    assertThat(rejected("vim\nemacs", Backend.APT).rule()).isEqualTo("control-character");
    assertThat(rejected("vim\u00a0x", Backend.APT).rule()).isEqualTo("whitespace");
    Validation.Invalid nul = rejected("vim\0", Backend.APT);
    assertThat(nul.rule()).isEqualTo("control-character");
    assertThat(nul.message()).contains("'vim\\u0000'").doesNotContain("\0");
  }

  @Test
  @DisplayName("Null, empty and over-long names are refused; the message shortens what it echoes")
  void emptyAndLong() {
    assertThat(rejected(null, Backend.APT).rule()).isEqualTo("required");
    assertThat(rejected("", Backend.DNF).rule()).isEqualTo("required");
    Validation.Invalid tooLong = rejected("a".repeat(300), Backend.APT);
    assertThat(tooLong.rule()).isEqualTo("too-long");
    assertThat(tooLong.message()).contains("(300 characters)").hasSizeLessThan(200);
    assertThat(PackageName.validate("a".repeat(128), Backend.APT, null).isValid()).isTrue();
    assertThat(rejected("a".repeat(129), Backend.APT).rule()).isEqualTo("too-long");
  }

  @Test
  @DisplayName("A trailing + is accepted only when a package of exactly that name is known")
  void trailingPlusDependsOnKnowledge() {
    assertThat(PackageName.validate("g++", Backend.APT, KNOWS_GPP).isValid()).isTrue();
    Validation unknown = PackageName.validate("g++", Backend.APT, Set.of("gcc")::contains);
    assertThat(((Validation.Invalid) unknown).rule()).isEqualTo("trailing-plus");
    assertThat(PackageName.validate("g++", Backend.APT, name -> false).isValid()).isFalse();
    assertThat(PackageName.validate("g++", Backend.APT, null).isValid()).isFalse();
    // knowing "g++" must not make "gcc+" acceptable
    assertThat(PackageName.validate("gcc+", Backend.APT, KNOWS_GPP).isValid()).isFalse();
  }

  @Test
  @DisplayName("The knowledge predicate is asked only about names ending in +")
  void predicateOnlyForTrailingPlus() {
    Predicate<String> mustNotBeAsked = name -> {
      throw new AssertionError("asked about " + name);
    };
    assertThat(PackageName.validate("coreutils", Backend.APT, mustNotBeAsked).isValid()).isTrue();
    assertThat(PackageName.validate("coreutils-", Backend.APT, mustNotBeAsked).isValid()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Backend.class, names = {"DNF", "PACMAN", "APK"})
  @DisplayName("rpm, pacman and apk names allow upper case, _ and one character, but not operators")
  void otherBackends(Backend backend) {
    for (String ok : new String[] {"NetworkManager", "perl_Foo", "x", "_x", "python3.11", "R"}) {
      assertThat(PackageName.validate(ok, backend, null).isValid()).as(ok).isTrue();
    }
    for (String bad : new String[] {"-x", "x-", "x+", "x=1", "x/y", "x:y", "x*", "x?", "x y", ".x"}) {
      assertThat(PackageName.validate(bad, backend, null).isValid()).as(bad).isFalse();
    }
  }

  @Test
  @DisplayName("Any string starting with - is rejected, whatever follows, for every backend")
  void leadingDashPropertyLoop() {
    Random random = new Random(20240601L);
    String alphabet = "abcXYZ019+-.=/:*?_ \t\0~!";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder s = new StringBuilder("-");
      int len = random.nextInt(140);
      for (int j = 0; j < len; j++) {
        s.append(random.nextInt(10) == 0
            ? (char) random.nextInt(0x3000) : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      for (Backend backend : Backend.values()) {
        Validation v = PackageName.validate(s.toString(), backend, name -> true);
        assertThat(v.isValid()).as("%s for %s", s, backend).isFalse();
      }
    }
  }

  @Test
  @DisplayName("The 400 details name the field, the rule and the reason")
  void details() {
    Validation.Invalid invalid = rejected("coreutils-", Backend.APT);
    assertThat(invalid.details().getString("field")).isEqualTo("name");
    assertThat(invalid.details().getString("rule")).isEqualTo("trailing-dash");
    assertThat(invalid.details().getString("reason")).contains("remove");
  }

  @Test
  @DisplayName("Backend names from the configuration map onto the enum, auto and none onto nothing")
  void backendNames() {
    assertThat(Backend.fromConfigName("apt")).contains(Backend.APT);
    assertThat(Backend.fromConfigName("pacman")).contains(Backend.PACMAN);
    assertThat(Backend.fromConfigName("auto")).isEmpty();
    assertThat(Backend.fromConfigName(null)).isEmpty();
  }
}
