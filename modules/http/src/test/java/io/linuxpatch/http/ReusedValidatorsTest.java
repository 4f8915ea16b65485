package io.linuxpatch.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The two changes to how vertx-openapi validates requests (issue 7), each still validating as before. */
@ExtendWith(VertxExtension.class)
class ReusedValidatorsTest {

  private static OpenAPIContract parsed;

  @BeforeAll
  static void parse(Vertx vertx) throws Exception {
    parsed = OpenAPIContract.from(vertx, OpenApiDocument.load().forContract())
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonSchema serviceNameSchema(OpenAPIContract contract) {
    return contract.operation("getService").getParameters().stream()
        .filter(p -> p.getName().equals("name")).findFirst().orElseThrow().getSchema();
  }

  @Test
  @DisplayName("one validator per schema, reused, and it refuses what the plain one refuses")
  void oneValidatorPerSchema() {
    OpenAPIContract reused = ReusedValidators.of(parsed);
    assertThat(ReusedValidators.of(reused)).as("wrapping twice changes nothing").isSameAs(reused);
    JsonSchema schema = serviceNameSchema(reused);
    Validator first = reused.getSchemaRepository().validator(schema);
    assertThat(reused.getSchemaRepository().validator(schema)).isSameAs(first);
    assertThat(parsed.getSchemaRepository().validator(schema)).as("the library's own: new each time")
        .isNotSameAs(parsed.getSchemaRepository().validator(schema));
    Validator plain = parsed.getSchemaRepository().validator(schema);
    for (String name : new String[] {"nginx", "ssh.service", "-H", "a b", "", "x".repeat(300)}) {
      assertThat(first.validate(name).getValid()).as(name).isEqualTo(plain.validate(name).getValid());
    }
    assertThat(first.validate("nginx").getValid()).isTrue();
    assertThat(first.validate("-H").getValid()).isFalse();
    assertThat(reused.operations()).hasSameSizeAs(parsed.operations());
  }
}
