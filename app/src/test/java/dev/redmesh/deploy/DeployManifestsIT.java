package dev.redmesh.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Fleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 11: what deploy/ says about the app is checked against the app. Every Kubernetes manifest,
 * the compose file, the Dockerfile, the Prometheus rules and the Grafana dashboard are parsed; their
 * ports are the app's, their probe paths answer 200 on the running app, every property and
 * environment variable they set binds to a property that exists, and every metric their queries
 * use is on the running app's {@code /actuator/prometheus}. docs/configuration.md is the generated
 * reference of the app's properties.
 */
@AppIT
class DeployManifestsIT {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final int HTTP_PORT = 8080;

    @Autowired
    Api api;
    @Autowired
    org.springframework.core.env.Environment environment;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (var values = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (values.hasNextValue()) {
                JsonNode document = (JsonNode) values.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    private static List<Path> files(String dir, String... suffixes) throws IOException {
        try (Stream<Path> paths = Files.walk(DEPLOY.resolve(dir))) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s))).sorted().toList();
        }
    }

    private Set<String> knownProperties() {
        Set<String> known = new TreeSet<>(ConfigurationReference.names(ConfigurationReference.redmesh()));
        known.addAll(ConfigurationReference.spring());
        return known;
    }

    private static boolean isRedmesh(JsonNode container) {
        return container.path("image").asString("").contains("redmesh");
    }

    private void assertProbe(String path, String where) {
        assertThat(api.anonymous().get(path).status()).as("%s probes %s", where, path).isEqualTo(200);
    }

    // --- Kubernetes

    @Test
    void kubernetesManifestsUseTheAppsPortsProbesAndProperties() throws IOException {
        Set<String> known = knownProperties();
        int xdsPort = Integer.parseInt(defaultOf("redmesh.proxy.xds-port"));
        int containers = 0;
        for (Path file : files("k8s", ".yaml", ".yml")) {
            for (JsonNode doc : documents(file)) {
                assertThat(doc.path("apiVersion").asString()).as("%s: apiVersion", file).isNotEmpty();
                assertThat(doc.path("kind").asString()).as("%s: kind", file).isNotEmpty();
                if (doc.path("kind").asString().equals("ConfigMap") && doc.path("data").has("application.yml")) {
                    for (String key : flatten(YAML.readTree(doc.path("data").path("application.yml").asString()))) {
                        assertThat(ConfigurationReference.binds(key, known)).as("%s sets %s, which the app has", file, key).isTrue();
                    }
                }
                for (JsonNode container : doc.path("spec").path("template").path("spec").path("containers")) {
                    if (!isRedmesh(container)) {
                        continue;
                    }
                    containers++;
                    for (JsonNode port : container.path("ports")) {
                        int number = port.path("containerPort").asInt();
                        assertThat(number).as("%s: port %s", file, port.path("name").asString())
                                .isIn(HTTP_PORT, xdsPort);
                        if (port.path("name").asString().equals("xds")) {
                            assertThat(number).isEqualTo(xdsPort);
                        }
                    }
                    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                        JsonNode get = container.path(probe).path("httpGet");
                        if (!get.isMissingNode()) {
                            assertProbe(get.path("path").asString(), file + " " + probe);
                        }
                    }
                    for (JsonNode env : container.path("env")) {
                        String name = env.path("name").asString();
                        if (name.startsWith("REDMESH_") || name.startsWith("SPRING_") || name.startsWith("MANAGEMENT_")
                                || name.startsWith("SERVER_")) {
                            assertThat(ConfigurationReference.binds(name, known))
                                    .as("%s: env %s binds to a property of the app", file, name).isTrue();
                        }
                    }
                }
                if (doc.path("kind").asString().equals("Service")) {
                    for (JsonNode port : doc.path("spec").path("ports")) {
                        JsonNode target = port.path("targetPort");
                        assertThat(target.isNumber() ? target.asInt() : target.asString().equals("http") ? HTTP_PORT : xdsPort)
                                .as("%s: Service port %s", file, port.path("name").asString()).isIn(HTTP_PORT, xdsPort);
                    }
                }
            }
        }
        assertThat(containers).as("redmesh containers in deploy/k8s (control plane, workers, sidecars)").isGreaterThanOrEqualTo(3);
    }

    // --- compose and Dockerfile

    @Test
    void composeAndDockerfileUseTheAppsPortsHealthAndProperties() throws IOException {
        Set<String> known = knownProperties();
        JsonNode compose = documents(DEPLOY.resolve("compose/docker-compose.yml")).get(0);
        int redmeshServices = 0;
        for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
            JsonNode s = service.getValue();
            // the redmesh services merge a shared block (<<: *redmesh-image), which the YAML reader
            // leaves as the alias' name
            boolean redmesh = s.has("build") || s.path("image").asString("").contains("redmesh")
                    || s.path("<<").toString().contains("redmesh");
            if (!redmesh || !s.has("environment")) {
                continue;
            }
            redmeshServices++;
            for (Map.Entry<String, JsonNode> env : s.path("environment").properties()) {
                assertThat(ConfigurationReference.binds(env.getKey(), known))
                        .as("compose %s: env %s binds to a property of the app", service.getKey(), env.getKey()).isTrue();
            }
            for (JsonNode port : s.path("ports")) {
                String container = port.asString().replaceAll(".*:", "");
                assertThat(Integer.parseInt(container)).as("compose %s port", service.getKey())
                        .isIn(HTTP_PORT, Integer.parseInt(defaultOf("redmesh.proxy.xds-port")));
            }
            JsonNode health = s.path("healthcheck").path("test");
            if (!health.isMissingNode()) {
                assertProbe(path(health.toString()), "compose " + service.getKey());
            }
        }
        assertThat(redmeshServices).as("control plane and worker services").isGreaterThanOrEqualTo(2);

        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(dockerfile);
        assertThat(expose.find()).isTrue();
        assertThat(expose.group(1).trim().split("\\s+")).containsExactlyInAnyOrder(String.valueOf(HTTP_PORT),
                defaultOf("redmesh.proxy.xds-port"));
        assertThat(dockerfile).contains("USER 10001");
        assertProbe(path(dockerfile.substring(dockerfile.indexOf("HEALTHCHECK"))), "Dockerfile HEALTHCHECK");
        assertThat(defaultHttpPort()).as("server.port in application.yml").isEqualTo(HTTP_PORT);
    }

    // --- metrics

    @Test
    void grafanaAndAlertsUseOnlyMetricsTheAppExports() throws Exception {
        // two regions in a mesh, so that the in-process worker's sync meters exist too
        RedisNode a = cleanup.add(RedisNode.start());
        RedisNode b = cleanup.add(RedisNode.start());
        api.put("/api/v1/regions/ra", "{}");
        api.put("/api/v1/regions/rb", "{}");
        api.put("/api/v1/clusters/ca", "{\"region\":\"ra\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + a.address() + "\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/cb", "{\"region\":\"rb\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + b.address() + "\"],\"mesh\":\"m\"}");
        Fleet fleet = new Fleet(api, 0);
        Eventually.await("both links streaming", Duration.ofSeconds(60), () -> fleet.allStreaming(2));

        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DEPLOY.resolve("grafana/redmesh-dashboard.json")));
        List<String> expressions = new ArrayList<>();
        collect(dashboard, "expr", expressions);
        assertThat(expressions).as("the dashboard's queries").hasSizeGreaterThan(5);
        for (Path rules : List.of(DEPLOY.resolve("prometheus/alerts.yml"), DEPLOY.resolve("k8s/prometheus-rules.yaml"))) {
            for (JsonNode doc : documents(rules)) {
                JsonNode groups = doc.has("groups") ? doc.path("groups") : null;
                if (groups == null && doc.path("kind").asString().equals("ConfigMap")) {
                    for (JsonNode file : doc.path("data")) {
                        groups = YAML.readTree(file.asString()).path("groups");
                    }
                }
                assertThat(groups).as("%s has rule groups", rules).isNotNull();
                List<String> alerts = new ArrayList<>();
                collect(groups, "expr", alerts);
                assertThat(alerts).as("%s: alert expressions", rules).isNotEmpty();
                expressions.addAll(alerts);
            }
        }
        Matcher metric = Pattern.compile("\\b((?:redmesh|http_server|jvm|process|hikaricp)_[a-z0-9_]+)").matcher(String.join("\n", expressions));
        while (metric.find()) {
            queried.add(metric.group(1));
        }
        assertThat(queried).as("metrics the dashboard and alerts use").contains("redmesh_link_lag_ms",
                "redmesh_fleet_workers", "redmesh_fleet_assignments_unheld", "redmesh_divergences_total",
                "redmesh_topology_role_changes_total");

        Eventually.await("every queried metric exported", Duration.ofSeconds(20), () -> {
            Set<String> exported = exported(api.get("/actuator/prometheus").body());
            Set<String> missing = new TreeSet<>(queried);
            missing.removeAll(exported);
            assertThat(missing).as("metrics used in deploy/ but not on /actuator/prometheus").isEmpty();
            return true;
        });
    }

    @Test
    void theConfigurationReferenceIsWhatTheCodeDeclares() throws IOException {
        String generated = ConfigurationReference.markdown();
        Path doc = Path.of("..", "docs", "configuration.md");
        String current = Files.exists(doc) ? Files.readString(doc) : "";
        if (!generated.equals(current)) {
            Path fresh = Path.of("target", "configuration.md");
            Files.writeString(fresh, generated);
            assertThat(current).as("docs/configuration.md is out of date: copy app/target/configuration.md over it")
                    .isEqualTo(generated);
        }
        assertThat(ConfigurationReference.names(ConfigurationReference.redmesh()))
                .contains("redmesh.fleet.lease", "redmesh.worker.fleet.control-plane", "redmesh.proxy.xds-port");
    }

    // --- helpers

    private static Set<String> exported(String scrape) {
        Set<String> names = new HashSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static void collect(JsonNode node, String field, List<String> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().equals(field) && e.getValue().isString()) {
                    into.add(e.getValue().asString());
                } else {
                    collect(e.getValue(), field, into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, field, into));
        }
    }

    /** Dotted keys of a YAML tree: {@code spring.datasource.url}, bracketed map keys kept. */
    private static List<String> flatten(JsonNode tree) {
        List<String> keys = new ArrayList<>();
        flatten("", tree, keys);
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, List<String> into) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), into);
            }
        } else {
            into.add(prefix);
        }
    }

    private static String path(String text) {
        Matcher m = Pattern.compile("https?://[^/\\s\"]+(/[^\\s\"']*)").matcher(text);
        assertThat(m.find()).as("a URL in %s", text).isTrue();
        return m.group(1);
    }

    private static String defaultOf(String property) {
        return ConfigurationReference.redmesh().stream().filter(p -> p.name().equals(property)).findFirst()
                .orElseThrow().defaultValue();
    }

    private static int defaultHttpPort() throws IOException {
        try (var in = DeployManifestsIT.class.getResourceAsStream("/application.yml")) {
            return YAML.readTree(in).path("server").path("port").asInt();
        }
    }
}
