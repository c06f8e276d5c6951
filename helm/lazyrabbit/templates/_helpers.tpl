{{/* Names ------------------------------------------------------------------------------- */}}
{{- define "lazyrabbit.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lazyrabbit.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "lazyrabbit.coordinatorName" -}}
{{- printf "%s-coordinator" (include "lazyrabbit.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lazyrabbit.workerName" -}}
{{- printf "%s-worker" (include "lazyrabbit.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lazyrabbit.migrationName" -}}
{{- printf "%s-migrate" (include "lazyrabbit.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels ------------------------------------------------------------------------------ */}}
{{- define "lazyrabbit.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "lazyrabbit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lazyrabbit
{{- end -}}

{{/* Selector labels of one component: include "lazyrabbit.selectorLabels" (list . "worker") */}}
{{- define "lazyrabbit.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "lazyrabbit.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Image, service account, secret -------------------------------------------------------- */}}
{{- define "lazyrabbit.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "lazyrabbit.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lazyrabbit.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "lazyrabbit.secretName" -}}
{{- default (printf "%s-servers" (include "lazyrabbit.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Environment variable from the servers' Secret: include "lazyrabbit.secretEnv" (list . "NAME" "keyField" optional) */}}
{{- define "lazyrabbit.secretEnv" -}}
{{- $root := index . 0 -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "lazyrabbit.secretName" $root }}
      key: {{ index $root.Values.secrets.keys (index . 2) }}
      {{- if index . 3 }}
      optional: true
      {{- end }}
{{- end -}}

{{/* Pod-level settings shared by every LazyRabbit pod */}}
{{- define "lazyrabbit.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}

{{/* The worker's termination grace period: longer than its drain grace period, or a failure. */}}
{{- define "lazyrabbit.workerTerminationGrace" -}}
{{- $drain := int .Values.worker.drainGracePeriodSeconds -}}
{{- $grace := .Values.worker.terminationGracePeriodSeconds -}}
{{- if kindIs "invalid" $grace -}}
{{- add $drain 15 -}}
{{- else if le (int $grace) $drain -}}
{{- fail (printf "worker.terminationGracePeriodSeconds (%d) must be longer than worker.drainGracePeriodSeconds (%d): the kubelet would kill workers mid-drain" (int $grace) $drain) -}}
{{- else -}}
{{- int $grace -}}
{{- end -}}
{{- end -}}

{{/* Whether the chart creates the servers' Secret with development defaults */}}
{{- define "lazyrabbit.usesDevelopmentDefaults" -}}
{{- if and (not .Values.secrets.existingSecret) (or (contains "lazyrabbit:lazyrabbit@" .Values.secrets.databaseUrl) (contains "lazyrabbit:lazyrabbit@" .Values.secrets.amqpUrl)) -}}
true
{{- end -}}
{{- end -}}
