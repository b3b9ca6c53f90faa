// Alert rules and an operations workbook over the app's telemetry. Event and metric names are the ones
// src/Aftercare.Functions/Telemetry/*.cs emit (DeliveryTelemetry, AlertTelemetry, ReplyTelemetry, TreatmentTelemetry;
// TelemetryNamesTests checks it); none of them carries personal data. Every item has cloud_RoleName "aftercare".

param name string
param location string
param insightsId string
param workspaceId string
param alertEmail string

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${name}-operators'
  location: 'global'
  properties: {
    groupShortName: take(name, 12)
    enabled: true
    emailReceivers: empty(alertEmail) ? [] : [
      { name: 'operators', emailAddress: alertEmail, useCommonAlertSchema: true }
    ]
  }
}

var alerts = [
  {
    // Any fault, not only one tied to a message: a storage outage fails the sweep's first query (before any message has
    // a stage), and the function invocation with it. Exceptions and failed invocations (the worker's "Invoke" activity).
    key: 'faults'
    window: 'PT15M'
    title: 'Aftercare: faults (storage or Twilio unreachable?)'
    description: 'Invocations failed or threw repeatedly: Table Storage or Twilio unreachable, or a bug. Due messages stay due and are retried.'
    severity: 2
    query: 'union (exceptions | where cloud_RoleName == "aftercare"), (dependencies | where cloud_RoleName == "aftercare" and name == "Invoke" and success == false) | summarize faults = count()'
    column: 'faults'
    threshold: 5
  }
  {
    key: 'backlog'
    window: 'PT15M'
    title: 'Aftercare: due backlog large'
    description: 'Sweeps keep finding more than 200 due messages: sending is slower than scheduling.'
    severity: 2
    query: 'customMetrics | where cloud_RoleName == "aftercare" and name == "DispatchDue" | summarize backlog = min(valueMin)'
    column: 'backlog'
    threshold: 200
  }
  {
    // Every sweep for 30 minutes found due messages and none was sent: the backlog is not draining (Twilio refusing or
    // deferring everything, sends in doubt, storage writes failing). No sweeps at all also leaves no sends: see 'faults'.
    key: 'backlog-stalled'
    window: 'PT30M'
    title: 'Aftercare: due messages not draining'
    description: 'For 30 minutes every dispatch sweep found due messages and none was sent. Check MessageDeferred, MessageInDoubt and faults.'
    severity: 1
    query: 'customMetrics | where cloud_RoleName == "aftercare" and name in ("DispatchDue", "DispatchSent") | summarize due = minif(valueMin, name == "DispatchDue"), sent = sumif(valueSum, name == "DispatchSent") | where sent == 0 | project stalled = due'
    column: 'stalled'
    threshold: 0
  }
  {
    key: 'failed-messages'
    window: 'PT15M'
    title: 'Aftercare: messages failing'
    description: 'Texts settled as failed (invalid numbers, Twilio refusals). Clinics see the reason on the timeline.'
    severity: 3
    query: 'customEvents | where name == "MessageSettled" and tostring(customDimensions.Status) == "failed" | summarize failed = count()'
    column: 'failed'
    threshold: 10
  }
  {
    key: 'in-doubt'
    window: 'PT15M'
    title: 'Aftercare: sends in doubt'
    description: 'Twilio calls whose outcome was unknown (timeouts, 5xx). Each is checked with Twilio before any re-send.'
    severity: 3
    query: 'customEvents | where name == "MessageInDoubt" | summarize inDoubt = count()'
    column: 'inDoubt'
    threshold: 20
  }
  {
    // A client was told "the clinic has been told": an urgent reply's alert must reach the clinic. Over the last six
    // hours, urgent replies alerted through the outbox more than 15 minutes ago with no AlertDelivered for their alert id.
    key: 'urgent-alert-undelivered'
    window: 'PT6H'
    title: 'Aftercare: urgent client reply not delivered to the clinic after 15 minutes'
    description: 'A reply triaged urgent is still not accepted by the clinic alert endpoint 15 minutes on. Call the clinic; AlertRetrying events give the reason.'
    severity: 1
    query: 'customEvents | where name == "ReplyReceived" and tostring(customDimensions.Triage) == "urgent" and isnotempty(tostring(customDimensions.AlertId)) and timestamp < ago(15m) | project id = tostring(customDimensions.AlertId) | join kind=leftanti (customEvents | where name == "AlertDelivered" | project id = tostring(customDimensions.AlertId)) on id | summarize undelivered = dcount(id)'
    column: 'undelivered'
    threshold: 0
  }
  {
    key: 'alerts-failing'
    window: 'PT15M'
    title: 'Aftercare: clinic alerts failing'
    description: 'Alerts given up after 24 hours of retries, or refused (no alert URL any more, erased client). Clinics did not get them.'
    severity: 2
    query: 'customEvents | where name == "AlertFailed" | summarize failed = count()'
    column: 'failed'
    threshold: 0
  }
]

resource rules 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = [for alert in alerts: {
  name: '${name}-${alert.key}'
  location: location
  properties: {
    displayName: alert.title
    description: alert.description
    severity: alert.severity
    enabled: true
    scopes: [insightsId]
    evaluationFrequency: 'PT5M'
    windowSize: alert.window
    criteria: {
      allOf: [
        {
          query: alert.query
          timeAggregation: 'Total'
          metricMeasureColumn: alert.column
          operator: 'GreaterThan'
          threshold: alert.threshold
          failingPeriods: { numberOfEvaluationPeriods: 1, minFailingPeriodsToAlert: 1 }
        }
      ]
    }
    actions: { actionGroups: [actionGroup.id] }
  }
}]

var workbookContent = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      content: { json: '## Aftercare delivery\nSends, settlements, backlog and latency. Dimensions are clinic ids and stages only.' }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Messages by outcome (hourly)'
        query: 'customEvents | where name in ("MessageSent", "MessageSettled", "MessageInDoubt", "MessageDeferred") | extend outcome = iff(name == "MessageSettled", tostring(customDimensions.Status), name) | summarize count() by outcome, bin(timestamp, 1h) | render timechart'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Due backlog per sweep'
        query: 'customMetrics | where name in ("DispatchDue", "DispatchSent", "DispatchFaulted") | summarize max(valueMax) by name, bin(timestamp, 5m) | render timechart'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Lateness after due time (seconds, p50/p95) by stage'
        query: 'customMetrics | where name == "MessageLatenessSeconds" | extend stage = tostring(customDimensions.Stage) | summarize p50 = percentile(valueMax, 50), p95 = percentile(valueMax, 95) by stage'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Failures and suppressions by error code'
        query: 'customEvents | where name == "MessageSettled" | summarize count() by status = tostring(customDimensions.Status), errorCode = tostring(customDimensions.ErrorCode), stage = tostring(customDimensions.Stage)'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Cancellations and status callbacks (daily)'
        query: 'customEvents | where name in ("TreatmentCancelled", "RebookPromptsCancelled", "StatusCallbackReceived") | extend detail = iff(name == "StatusCallbackReceived", tostring(customDimensions.Status), "") | summarize count() by name, detail, bin(timestamp, 1d)'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Client replies by kind and triage (daily)'
        query: 'customEvents | where name == "ReplyReceived" and tostring(customDimensions.Repeated) == "false" | summarize count() by kind = tostring(customDimensions.Kind), triage = tostring(customDimensions.Triage), bin(timestamp, 1d)'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
    {
      type: 3
      content: {
        version: 'KqlItem/1.0'
        title: 'Clinic alerts: outcomes, attempts and time to delivery (seconds, p95) by type'
        query: 'customEvents | where name in ("AlertDelivered", "AlertRetrying", "AlertFailed") | summarize count(), maxAttempts = max(toint(customDimensions.Attempts)) by name, type = tostring(customDimensions.AlertType) | join kind=leftouter (customMetrics | where name == "AlertDeliverySeconds" | summarize p95 = percentile(valueMax, 95) by type = tostring(customDimensions.Type)) on type'
        queryType: 0
        resourceType: 'microsoft.insights/components'
      }
    }
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(insightsId, 'aftercare-operations')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Aftercare operations'
    category: 'workbook'
    sourceId: insightsId
    serializedData: string(workbookContent)
  }
}

output workspaceId string = workspaceId
