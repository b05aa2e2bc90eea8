package dev.redmesh.ops;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link StartupProblem} into Spring Boot's "APPLICATION FAILED TO START" report, without the trace. */
class StartupProblemAnalyzer extends AbstractFailureAnalyzer<StartupProblem> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupProblem problem) {
        return new FailureAnalysis(problem.getMessage(), problem.action(), problem);
    }
}
