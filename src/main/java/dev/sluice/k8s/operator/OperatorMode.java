package dev.sluice.k8s.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The runtime switch of operator mode. The Operator SDK's own start is off at build time
 * ({@code quarkus.operator-sdk.start-operator=false}); this starts it at start-up when {@code
 * sluice.operator.enabled} is on, after checking the API server can be reached (otherwise start-up
 * fails and says so), and stops it with the application. Off, nothing here touches Kubernetes.
 */
@ApplicationScoped
public class OperatorMode {
    private static final Logger LOG = Logger.getLogger(OperatorMode.class);

    @Inject
    OperatorSettings settings;

    @Inject
    Instance<Operator> operator;

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    OperatorLeadership leadership;

    private volatile boolean running;

    void onStart(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 500) StartupEvent event) {
        if (!settings.enabled()) {
            LOG.debug("operator mode is off (SLUICE_OPERATOR_ENABLED=true turns it on)");
            return;
        }
        KubernetesClient k8s = client.get();
        String where = k8s.getMasterUrl() == null
                ? "(no URL configured)"
                : k8s.getMasterUrl().toString();
        String version;
        try {
            version = k8s.getKubernetesVersion().getGitVersion();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "operator mode is on (SLUICE_OPERATOR_ENABLED) but the Kubernetes API server at " + where
                            + " cannot be reached: " + e.getMessage()
                            + ". Run Sluice in the cluster with its ServiceAccount, point KUBECONFIG at the"
                            + " cluster, or turn operator mode off.",
                    e);
        }
        LOG.infof(
                "operator mode: reconciling RestorePlans, RestoreRuns and RestoreActions (API server %s, Kubernetes %s%s)",
                where, version, settings.leaderElection() ? ", leader election on Lease " + settings.leaseName() : "");
        operator.get().start();
        running = true;
        leadership.operatorStarted();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (running) {
            running = false;
            operator.get().stop();
        }
    }

    public boolean running() {
        return running;
    }
}
