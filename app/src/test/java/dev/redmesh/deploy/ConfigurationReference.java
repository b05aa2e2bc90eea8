package dev.redmesh.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Every property redmesh reads, from its {@code @ConfigurationProperties} records (name, type,
 * default from {@code @DefaultValue}), plus the two it reads without one; and every property Spring
 * Boot documents in its jars' configuration metadata. docs/configuration.md is this reference
 * rendered ({@link #markdown()}); {@link DeployManifestsIT} checks names in deploy/ against it.
 */
final class ConfigurationReference {

    /** One property: {@code name} in canonical form ({@code redmesh.worker.fleet.control-plane}). */
    record Property(String name, String type, String defaultValue) {
    }

    /** Read with {@code @Value} or by hand rather than through a properties record. */
    private static final List<Property> UNBOUND = List.of(
            new Property("redmesh.roles", "Set<String>", "control-plane,worker"),
            new Property("redmesh.demo.enabled", "boolean", "false"));

    private ConfigurationReference() {
    }

    static List<Property> redmesh() {
        Map<String, Property> all = new TreeMap<>();
        UNBOUND.forEach(p -> all.put(p.name(), p));
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        for (BeanDefinition candidate : scanner.findCandidateComponents("dev.redmesh")) {
            Class<?> type = load(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            if (prefix.isEmpty()) {
                prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
            }
            walk(prefix, type, all);
        }
        return List.copyOf(all.values());
    }

    private static void walk(String prefix, Class<?> record, Map<String, Property> into) {
        RecordComponent[] components = record.getRecordComponents();
        Parameter[] parameters = canonical(record).getParameters();
        for (int i = 0; i < components.length; i++) {
            String name = prefix + "." + kebab(components[i].getName());
            Type generic = components[i].getGenericType();
            Class<?> nested = nestedRecord(generic);
            if (nested != null) {
                String element = generic instanceof ParameterizedType p
                        ? (Map.class.isAssignableFrom((Class<?>) p.getRawType()) ? ".*" : "[*]") : "";
                walk(name + element, nested, into);
                continue;
            }
            DefaultValue defaults = parameters[i].getAnnotation(DefaultValue.class);
            String value = defaults == null ? "" : String.join(",", defaults.value());
            into.put(name, new Property(name, simple(generic), value));
        }
    }

    /** A record of redmesh's own, directly or as the element of a collection or the value of a map. */
    private static Class<?> nestedRecord(Type type) {
        if (type instanceof Class<?> c) {
            return c.isRecord() && c.getName().startsWith("dev.redmesh") ? c : null;
        }
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return nestedRecord(args[args.length - 1]);
        }
        return null;
    }

    private static Constructor<?> canonical(Class<?> record) {
        Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return record.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record + " has no canonical constructor", e);
        }
    }

    private static String simple(Type type) {
        return type.getTypeName().replaceAll("[a-z0-9_]+\\.", "").replace('$', '.');
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Spring Boot's own properties, from every configuration metadata file on the class path. */
    static Set<String> spring() {
        Set<String> names = new TreeSet<>();
        JsonMapper json = JsonMapper.builder().build();
        try {
            Enumeration<URL> files = ConfigurationReference.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            while (files.hasMoreElements()) {
                try (InputStream in = files.nextElement().openStream()) {
                    JsonNode metadata = json.readTree(in);
                    for (JsonNode property : metadata.path("properties")) {
                        String name = property.path("name").asString();
                        String type = property.path("type").asString("");
                        names.add(type.startsWith("java.util.Map") ? name + ".*" : name);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Whether {@code name} — a property name in any relaxed form, or an environment variable such as
     * {@code REDMESH_WORKER_FLEET_CONTROLPLANE} — binds to one of {@code known}. Map properties
     * ({@code x.*}) accept any key below them.
     */
    static boolean binds(String name, Collection<String> known) {
        String wanted = squash(name);
        for (String property : known) {
            if (property.endsWith(".*")) {
                if (wanted.startsWith(squash(property.substring(0, property.length() - 2)))) {
                    return true;
                }
            } else if (squash(property.replace("[*]", "")).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    private static String squash(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    static String markdown() {
        StringBuilder md = new StringBuilder("""
                # Configuration reference

                Every property redmesh reads, generated from its `@ConfigurationProperties` records (and
                checked by `DeployManifestsIT`: this file must equal what the code declares). Set them in
                `application.yml`, as `--name=value` arguments, or as environment variables in Spring's
                relaxed form: upper case, dots to `_`, dashes dropped — `redmesh.worker.fleet.control-plane`
                is `REDMESH_WORKER_FLEET_CONTROLPLANE`. What each one does is explained where the feature is:
                [fleet.md](fleet.md) (`redmesh.fleet`, `redmesh.worker.fleet`), [sync.md](sync.md)
                (`redmesh.worker`), [topology.md](topology.md), [proxies.md](proxies.md),
                [security.md](security.md) (`redmesh.security`, `redmesh.redis.tls`), and the README
                (`redmesh.postgres`, `redmesh.roles`, `redmesh.demo`). `[*]` is a list index, `*` a map key.

                | property | type | default |
                |---|---|---|
                """);
        for (Property p : redmesh()) {
            md.append("| `").append(p.name()).append("` | `").append(p.type()).append("` | ")
                    .append(p.defaultValue().isEmpty() ? "" : "`" + p.defaultValue() + "`").append(" |\n");
        }
        md.append("""

                Spring Boot's own properties work as usual; those the deployment files use are
                `spring.datasource.*`, `spring.config.additional-location`, `server.port` (8080) and
                `management.metrics.distribution.percentiles-histogram.*`.
                """);
        return md.toString();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(List<Property> properties) {
        List<String> names = new ArrayList<>();
        properties.forEach(p -> names.add(p.name()));
        return names;
    }
}
