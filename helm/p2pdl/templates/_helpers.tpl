{{/*
Chart name, or nameOverride: the value of the `app.kubernetes.io/name` label.
Truncated to 63 characters (the DNS label limit).
*/}}
{{- define "p2pdl.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, prefix of every resource name: fullnameOverride, else the release
name when it already contains the chart name, else `<release>-<name>`. Truncated to 63.
*/}}
{{- define "p2pdl.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart name and version, the value of the `helm.sh/chart` label.
*/}}
{{- define "p2pdl.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels of every resource. Only the selector labels below are used in selectors: the
chart version changes on upgrade and selectors are immutable.
*/}}
{{- define "p2pdl.labels" -}}
helm.sh/chart: {{ include "p2pdl.chart" . }}
{{ include "p2pdl.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: p2pdl
{{- end }}

{{/*
Selector labels shared by all components: name and instance, never the chart version.
*/}}
{{- define "p2pdl.selectorLabels" -}}
app.kubernetes.io/name: {{ include "p2pdl.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the coordinator StatefulSet and its Services. Truncated to 52 characters: a
StatefulSet's pods carry a `controller-revision-hash` label of its name plus 11 characters.
*/}}
{{- define "p2pdl.coordinator.fullname" -}}
{{- printf "%s-coordinator" (include "p2pdl.fullname" .) | trunc 52 | trimSuffix "-" }}
{{- end }}

{{/*
Name of the coordinators' headless Service (the StatefulSet's serviceName).
*/}}
{{- define "p2pdl.coordinator.headlessName" -}}
{{- printf "%s-headless" (include "p2pdl.coordinator.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels of coordinator pods.
*/}}
{{- define "p2pdl.coordinator.selectorLabels" -}}
{{ include "p2pdl.selectorLabels" . }}
app.kubernetes.io/component: coordinator
{{- end }}

{{/*
Labels of coordinator resources.
*/}}
{{- define "p2pdl.coordinator.labels" -}}
{{ include "p2pdl.labels" . }}
app.kubernetes.io/component: coordinator
{{- end }}

{{/*
The coordinator pods' selector labels as a Kubernetes label selector string
(`k1=v1,k2=v2,...`, keys sorted): what workers and coordinators look for in the API.
Derived from p2pdl.coordinator.selectorLabels, so the two cannot drift apart.
*/}}
{{- define "p2pdl.coordinator.labelSelector" -}}
{{- $terms := list }}
{{- range $key, $value := include "p2pdl.coordinator.selectorLabels" . | fromYaml }}
{{- $terms = append $terms (printf "%s=%s" $key $value) }}
{{- end }}
{{- join "," $terms }}
{{- end }}

{{/*
Name of the coordinators' ServiceAccount.
*/}}
{{- define "p2pdl.coordinator.serviceAccountName" -}}
{{- if .Values.coordinator.serviceAccount.create }}
{{- default (include "p2pdl.coordinator.fullname" .) .Values.coordinator.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.coordinator.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the worker Deployment or DaemonSet.
*/}}
{{- define "p2pdl.worker.fullname" -}}
{{- printf "%s-worker" (include "p2pdl.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels of worker pods.
*/}}
{{- define "p2pdl.worker.selectorLabels" -}}
{{ include "p2pdl.selectorLabels" . }}
app.kubernetes.io/component: worker
{{- end }}

{{/*
Labels of worker resources.
*/}}
{{- define "p2pdl.worker.labels" -}}
{{ include "p2pdl.labels" . }}
app.kubernetes.io/component: worker
{{- end }}

{{/*
Name of the workers' ServiceAccount.
*/}}
{{- define "p2pdl.worker.serviceAccountName" -}}
{{- if .Values.worker.serviceAccount.create }}
{{- default (include "p2pdl.worker.fullname" .) .Values.worker.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.worker.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Label that admits a pod to the coordinators when networkPolicy.enabled (admin clients: the
CLI, the helm test, the Job examples): `<fullname>-client: "true"`.
*/}}
{{- define "p2pdl.clientLabelKey" -}}
{{- printf "%s-client" (include "p2pdl.fullname" .) }}
{{- end }}

{{/*
An image reference `repository:tag`, the tag defaulting to the chart's appVersion.
Call with (dict "image" .Values.x.image "context" $).
*/}}
{{- define "p2pdl.image" -}}
{{- printf "%s:%s" .image.repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}

{{/*
Coordinator image.
*/}}
{{- define "p2pdl.coordinator.image" -}}
{{- include "p2pdl.image" (dict "image" .Values.coordinator.image "context" .) }}
{{- end }}

{{/*
Worker image.
*/}}
{{- define "p2pdl.worker.image" -}}
{{- include "p2pdl.image" (dict "image" .Values.worker.image "context" .) }}
{{- end }}

{{/*
CLI image.
*/}}
{{- define "p2pdl.cli.image" -}}
{{- include "p2pdl.image" (dict "image" .Values.cli.image "context" .) }}
{{- end }}

{{/*
Name of the Secret holding `worker-token` and `admin-token`.
*/}}
{{- define "p2pdl.auth.secretName" -}}
{{- default (printf "%s-token" (include "p2pdl.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{/*
`data` of the chart-made token Secret. Call with (dict "existing" <the live Secret, or an
empty map>): each key keeps its value from the live Secret (found by `lookup` on upgrade),
otherwise it gets a fresh 40-character random token. `helm template` and
`--dry-run=client` cannot see the cluster, so there every render generates new tokens.
*/}}
{{- define "p2pdl.auth.secretData" -}}
{{- $data := dig "data" dict (.existing | default dict) }}
{{- range $key := list "worker-token" "admin-token" }}
{{ $key }}: {{ get $data $key | default (randAlphaNum 40 | b64enc) | quote }}
{{- end }}
{{- end }}

{{/*
Environment variable from one key of the token Secret. Call with (dict "name" ENV "key" KEY
"context" $).
*/}}
{{- define "p2pdl.auth.tokenEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "p2pdl.auth.secretName" .context }}
      key: {{ .key }}
{{- end }}

{{/*
Seconds of a Quarkus duration given as `<n>S` or `<n>M` (case-insensitive), or -1 for any
other form (ISO-8601 `PT..`, milliseconds, ...), which the chart then does not check.
*/}}
{{- define "p2pdl.durationSeconds" -}}
{{- $d := upper (toString .) }}
{{- if regexMatch "^[0-9]+S$" $d }}
{{- trimSuffix "S" $d }}
{{- else if regexMatch "^[0-9]+M$" $d }}
{{- mul (trimSuffix "M" $d | atoi) 60 }}
{{- else }}
{{- -1 }}
{{- end }}
{{- end }}

{{/*
Fails the render on values that cannot work.
*/}}
{{- define "p2pdl.validate" -}}
{{- if not (has .Values.worker.kind (list "Deployment" "DaemonSet")) }}
{{- fail (printf "worker.kind must be Deployment or DaemonSet, not %q" .Values.worker.kind) }}
{{- end }}
{{- if eq (int .Values.coordinator.port) (int .Values.coordinator.httpPort) }}
{{- fail (printf "coordinator.port (gRPC) and coordinator.httpPort (health and metrics) must differ, not both %v: they are two servers" .Values.coordinator.port) }}
{{- end }}
{{- $drain := include "p2pdl.durationSeconds" .Values.worker.drainTimeout | atoi }}
{{- if and (ge $drain 0) (lt (int .Values.worker.terminationGracePeriodSeconds) (add $drain 5)) }}
{{- fail (printf "worker.terminationGracePeriodSeconds (%v) must be at least worker.drainTimeout (%s) + 5 s, or SIGTERM kills workers before they give their leases back" .Values.worker.terminationGracePeriodSeconds .Values.worker.drainTimeout) }}
{{- end }}
{{- end }}

{{/*
Egress rules both components need when networkPolicy.enabled: DNS, the API server, origins.
*/}}
{{- define "p2pdl.networkPolicy.commonEgress" -}}
# DNS, in any namespace.
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
# The API server, for pod discovery.
- to:
    {{- range .Values.networkPolicy.apiServer.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.apiServer.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
# Origins (HTTP and HTTPS).
- to:
    {{- range .Values.networkPolicy.originCidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.originPorts }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end }}

{{/*
Environment of the origin safety settings (security.*) for one component; prefix is
P2PDL_COORDINATOR or P2PDL_WORKER. Nothing when the lists are empty (the services' defaults).
*/}}
{{- define "p2pdl.security.env" -}}
{{- $security := .context.Values.security | default dict }}
{{- with $security.allowedOriginCidrs }}
- name: {{ $.prefix }}_ORIGINS_ALLOWED_CIDRS
  value: {{ join "," . | quote }}
{{- end }}
{{- with $security.redactQueryParams }}
- name: {{ $.prefix }}_REDACT_QUERY_PARAMS
  value: {{ join "," . | quote }}
{{- end }}
{{- end }}

{{/*
Name of the TLS Secret (`tls.crt`, `tls.key`, `ca.crt`): tls.secretName, else `<fullname>-tls`.
*/}}
{{- define "p2pdl.tls.secretName" -}}
{{- default (printf "%s-tls" (include "p2pdl.fullname" .)) .Values.tls.secretName }}
{{- end }}

{{/*
The name every client verifies in the coordinator certificate: tls.serverName, else the client
Service's name `<coordinator fullname>.<namespace>.svc`.
*/}}
{{- define "p2pdl.tls.serverName" -}}
{{- default (printf "%s.%s.svc" (include "p2pdl.coordinator.fullname" .) .Release.Namespace) .Values.tls.serverName }}
{{- end }}

{{/*
Where the TLS Secret is mounted (read-only) in every pod that uses it.
*/}}
{{- define "p2pdl.tls.mountPath" -}}
/etc/p2pdl/tls
{{- end }}

{{/*
Client TLS environment (workers, the test pod, Jobs): trust the Secret's ca.crt and verify the
server name. Empty when tls.enabled is false.
*/}}
{{- define "p2pdl.tls.clientEnv" -}}
{{- if .Values.tls.enabled -}}
- name: P2PDL_TLS_CA_FILE
  value: {{ printf "%s/ca.crt" (include "p2pdl.tls.mountPath" .) | quote }}
- name: P2PDL_TLS_SERVER_NAME
  value: {{ include "p2pdl.tls.serverName" . | quote }}
{{- end }}
{{- end }}

{{/*
Read-only mount of the TLS Secret; empty when tls.enabled is false.
*/}}
{{- define "p2pdl.tls.volumeMount" -}}
{{- if .Values.tls.enabled -}}
- name: tls
  mountPath: {{ include "p2pdl.tls.mountPath" . }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
The TLS Secret as a volume: with the key (coordinators, mode 0440 for the pod's fsGroup) or
only ca.crt (everyone else). Call with (dict "withKey" true|false "context" $).
*/}}
{{- define "p2pdl.tls.volume" -}}
{{- if .context.Values.tls.enabled -}}
- name: tls
  secret:
    secretName: {{ include "p2pdl.tls.secretName" .context }}
    {{- if .withKey }}
    defaultMode: 0440
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
      - key: ca.crt
        path: ca.crt
    {{- else }}
    defaultMode: 0444
    items:
      - key: ca.crt
        path: ca.crt
    {{- end }}
{{- end }}
{{- end }}

{{/*
Scheme of both coordinator ports (gRPC and health/metrics): HTTPS with tls.enabled, else HTTP.
*/}}
{{- define "p2pdl.coordinator.scheme" -}}
{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end }}
{{- end }}
