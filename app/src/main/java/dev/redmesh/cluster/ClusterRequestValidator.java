package dev.redmesh.cluster;

import dev.redmesh.redis.HostAndPort;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.redmesh.region.RegionService;
import dev.redmesh.web.FieldProblems;
import dev.redmesh.web.ResourceNames;
import org.springframework.stereotype.Component;

/** Turns a {@link ClusterRequest} into a {@link ClusterSpec}, reporting every invalid field at once. */
@Component
class ClusterRequestValidator {

    static final int MAX_SEEDS = 64;
    private static final int MAX_USERNAME = 255;
    private static final int MAX_PASSWORD = 1024;
    private static final Pattern REPLICATION_GROUP_ID = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,39}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern NO_CONTROL_OR_SPACE = Pattern.compile("[\\x21-\\x7e\\x{80}-\\x{10ffff}]+");

    private final RegionService regions;

    ClusterRequestValidator(RegionService regions) {
        this.regions = regions;
    }

    ClusterSpec validate(String name, ClusterRequest request) {
        FieldProblems problems = new FieldProblems();
        ResourceNames.check("name", name, problems);
        ResourceNames.check("region", request.region(), problems);
        if (ResourceNames.isValid(request.region()) && !regions.exists(request.region())) {
            problems.add("region", "region '" + request.region() + "' does not exist; PUT /api/v1/regions/"
                    + request.region() + " first");
        }
        ClusterMode mode = mode(request.mode(), problems);
        List<String> seeds = request.seeds() == null ? List.of() : request.seeds();
        checkSeeds(mode, seeds, problems);
        checkCredentials(request, problems);
        if (request.mesh() != null) {
            ResourceNames.check("mesh", request.mesh(), problems);
        }
        checkElasticache(mode, request.elasticache(), problems);
        ClusterCapture capture = capture(mode, request.capture(), problems);
        problems.throwIfAny();

        ClusterRequest.ElasticacheRequest elasticache = request.elasticache();
        return new ClusterSpec(request.region(), mode, seeds, emptyToNull(request.username()), request.password(),
                Boolean.TRUE.equals(request.tls()), request.mesh(),
                elasticache == null ? null : elasticache.replicationGroupId(),
                elasticache == null ? null : elasticache.awsRegion(), capture);
    }

    /** Absent: AUTO. ElastiCache refuses PSYNC to clients, so asking for it there is a mistake told at once. */
    private static ClusterCapture capture(ClusterMode mode, String value, FieldProblems problems) {
        if (value == null) {
            return ClusterCapture.AUTO;
        }
        ClusterCapture capture;
        try {
            capture = ClusterCapture.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add("capture", "'" + value + "' is not a capture; use one of " + Arrays.toString(ClusterCapture.values()));
            return null;
        }
        if (capture == ClusterCapture.PSYNC && mode == ClusterMode.ELASTICACHE) {
            problems.add("capture", "ElastiCache refuses PSYNC to clients; use AUTO or KEYSPACE");
        }
        return capture;
    }

    private static ClusterMode mode(String value, FieldProblems problems) {
        if (value == null) {
            problems.add("mode", "is required: one of " + Arrays.toString(ClusterMode.values()));
            return null;
        }
        try {
            return ClusterMode.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add("mode", "'" + value + "' is not a mode; use one of " + Arrays.toString(ClusterMode.values()));
            return null;
        }
    }

    private static void checkSeeds(ClusterMode mode, List<String> seeds, FieldProblems problems) {
        if (seeds.isEmpty() && mode != null && mode != ClusterMode.ELASTICACHE) {
            problems.add("seeds", "at least one host:port is required for mode " + mode);
        }
        if (seeds.size() > MAX_SEEDS) {
            problems.add("seeds", "at most " + MAX_SEEDS + " seeds");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            StringBuilder why = new StringBuilder();
            String seed = seeds.get(i);
            if (HostAndPort.parse(seed, why).isEmpty()) {
                problems.add("seeds[" + i + "]", why.toString());
            } else if (!seen.add(seed)) {
                problems.add("seeds[" + i + "]", "duplicate seed " + seed);
            }
        }
    }

    private static void checkCredentials(ClusterRequest request, FieldProblems problems) {
        String username = request.username();
        if (username != null && !username.isEmpty()
                && (username.length() > MAX_USERNAME || !NO_CONTROL_OR_SPACE.matcher(username).matches())) {
            problems.add("username", "must be 1 to " + MAX_USERNAME + " characters without spaces or control characters");
        }
        String password = request.password();
        if (password != null && (password.length() > MAX_PASSWORD || password.chars().anyMatch(Character::isISOControl))) {
            problems.add("password", "must be at most " + MAX_PASSWORD + " characters without control characters");
        }
    }

    private static void checkElasticache(ClusterMode mode, ClusterRequest.ElasticacheRequest elasticache,
                                         FieldProblems problems) {
        if (mode == ClusterMode.ELASTICACHE) {
            if (elasticache == null) {
                problems.add("elasticache", "is required for mode ELASTICACHE: {replicationGroupId, awsRegion}");
                return;
            }
            if (elasticache.replicationGroupId() == null
                    || !REPLICATION_GROUP_ID.matcher(elasticache.replicationGroupId()).matches()) {
                problems.add("elasticache.replicationGroupId",
                        "must start with a letter and have 1 to 40 letters, digits or '-'");
            }
            if (elasticache.awsRegion() == null || !AWS_REGION.matcher(elasticache.awsRegion()).matches()) {
                problems.add("elasticache.awsRegion", "must be an AWS region such as eu-west-1");
            }
        } else if (elasticache != null && mode != null) {
            problems.add("elasticache", "is only allowed for mode ELASTICACHE");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
