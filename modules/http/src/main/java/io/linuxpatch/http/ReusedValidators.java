package io.linuxpatch.http;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API contract as the OpenAPI router sees it, with one difference: a schema's validator is made once
 * and reused. vertx-openapi asks the schema repository for a new validator for every parameter of every
 * request, and each new validator copies the repository's whole lookup table of schemas — three quarters
 * of the cost of validating a listing's query (issue 7 profile). A validator holds only final fields and
 * keeps no state between validations, so one per schema serves every event loop.
 *
 * <p>Validators are keyed by the identity of the schema object the contract hands out for a parameter or
 * body (the contract is parsed once and never changes); at most {@link #MAX_CACHED} are kept, beyond that
 * they are made per call as before.
 */
final class ReusedValidators implements OpenAPIContract {

  static final int MAX_CACHED = 1024;

  private final OpenAPIContract contract;
  private final SchemaRepository schemas;

  private ReusedValidators(OpenAPIContract contract) {
    this.contract = contract;
    this.schemas = new Repository(contract.getSchemaRepository());
  }

  static OpenAPIContract of(OpenAPIContract contract) {
    return contract instanceof ReusedValidators ? contract : new ReusedValidators(contract);
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return schemas;
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String urlPath) {
    return contract.findPath(urlPath);
  }

  @Override
  public Operation findOperation(String urlPath, HttpMethod method) {
    return contract.findOperation(urlPath, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /** The contract's schema repository; {@link #validator(JsonSchema)} answers from the cache. */
  private static final class Repository implements SchemaRepository {

    private final SchemaRepository schemas;
    private final Map<SchemaIdentity, Validator> validators = new ConcurrentHashMap<>();

    Repository(SchemaRepository schemas) {
      this.schemas = schemas;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      SchemaIdentity key = new SchemaIdentity(schema);
      Validator known = validators.get(key);
      if (known != null) {
        return known;
      }
      Validator made = schemas.validator(schema);
      if (validators.size() < MAX_CACHED) {
        validators.putIfAbsent(key, made);
      }
      return made;
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return schemas.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return schemas.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return schemas.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return schemas.preloadMetaSchema(fs, draft);
    }

    @Override
    public Validator validator(String ref) {
      return schemas.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return schemas.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return schemas.validator(schema, options, dereference);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return schemas.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return schemas.find(pointer);
    }
  }

  /** A schema object by identity: JsonSchema's own equality would compare (and hash) whole JSON trees. */
  private record SchemaIdentity(JsonSchema schema) {
    @Override
    public boolean equals(Object other) {
      return other instanceof SchemaIdentity that && that.schema == schema;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema);
    }
  }
}
