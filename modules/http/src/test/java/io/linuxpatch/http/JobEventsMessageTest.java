package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link JobEventsMessage#parse}: the four client messages of JOB-9 and every way a message can be unusable. */
@Tag("JOB-9")
class JobEventsMessageTest {

  private static final String ID = "3f2b8c1e-9d4a-4e7b-8f00-1a2b3c4d5e6f";

  @Test
  @DisplayName("subscribe and unsubscribe carry the job id, lower-cased to its canonical form")
  void subscriptions() {
    assertThat(JobEventsMessage.parse("{\"type\":\"subscribe\",\"job_id\":\"" + ID.toUpperCase() + "\"}"))
        .isEqualTo(new JobEventsMessage.Subscribe(ID));
    assertThat(JobEventsMessage.parse("{\"job_id\":\"" + ID + "\",\"type\":\"unsubscribe\"}"))
        .isEqualTo(new JobEventsMessage.Unsubscribe(ID));
  }

  @Test
  @DisplayName("subscribe_all and ping take no other field")
  void bareTypes() {
    assertThat(JobEventsMessage.parse("{\"type\":\"subscribe_all\"}")).isInstanceOf(JobEventsMessage.SubscribeAll.class);
    assertThat(JobEventsMessage.parse(" {\"type\" : \"ping\"} ")).isInstanceOf(JobEventsMessage.Ping.class);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("an unusable message is answered with the code that says why")
  @CsvSource(delimiter = '|', value = {
      "not json                                              | INVALID_JSON",
      "[1,2]                                                 | INVALID_JSON",
      "\"ping\"                                              | INVALID_JSON",
      "{\"type\":\"ping\"                                    | INVALID_JSON",
      "{}                                                    | UNKNOWN_TYPE",
      "{\"type\":\"PING\"}                                   | UNKNOWN_TYPE",
      "{\"type\":7}                                          | UNKNOWN_TYPE",
      "{\"type\":\"subscribe\"}                              | INVALID_JOB_ID",
      "{\"type\":\"subscribe\",\"job_id\":42}                | INVALID_JOB_ID",
      "{\"type\":\"subscribe\",\"job_id\":\"1-1-1-1-1\"}     | INVALID_JOB_ID",
      "{\"type\":\"unsubscribe\",\"job_id\":\"../../etc\"}   | INVALID_JOB_ID",
      "{\"type\":\"ping\",\"job_id\":\"x\"}                  | UNKNOWN_FIELD",
      "{\"type\":\"subscribe\",\"job_ids\":[]}               | UNKNOWN_FIELD",
  })
  void invalid(String text, String code) {
    assertThat(JobEventsMessage.parse(text)).isInstanceOfSatisfying(JobEventsMessage.Invalid.class, invalid -> {
      assertThat(invalid.code()).isEqualTo(code);
      assertThat(invalid.message()).isNotBlank();
      assertThat(invalid.frame().getString("type")).isEqualTo("error");
      assertThat(invalid.frame().getString("code")).isEqualTo(code);
    });
  }

  @Test
  @DisplayName("a message over 4096 characters is refused as too long before it is parsed")
  void tooLong() {
    String padded = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(JobEventsMessage.MAX_CHARS) + "\"}";
    assertThat(JobEventsMessage.parse(padded)).extracting(m -> ((JobEventsMessage.Invalid) m).code())
        .isEqualTo("MESSAGE_TOO_LONG");
    String justFits = "{\"type\":\"ping\"}" + " ".repeat(JobEventsMessage.MAX_CHARS - 15);
    assertThat(justFits).hasSize(JobEventsMessage.MAX_CHARS);
    assertThat(JobEventsMessage.parse(justFits)).isInstanceOf(JobEventsMessage.Ping.class);
  }
}
