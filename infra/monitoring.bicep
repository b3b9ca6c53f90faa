// Alert rules and an operations workbook over the handler's telemetry. Event and metric names are the ones
// src/Aftercare.Functions/Telemetry/DeliveryTelemetry.cs emits; none of them carries personal data.

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
    key: 'dispatch-faults'
    title: 'Aftercare: dispatch faults'
    description: 'Handling due messages threw repeatedly (storage or Twilio unreachable?). Messages stay due and are retried.'
    severity: 2
    query: 'exceptions | where isnotempty(tostring(customDimensions.Stage)) | summarize faults = count()'
    column: 'faults'
    threshold: 5
  }
  {
    key: 'backlog'
    title: 'Aftercare: due backlog not draining'
    description: 'Sweeps keep finding more than 200 due messages: sending is slower than scheduling, or blocked.'
    severity: 2
    query: 'customMetrics | where name == "DispatchDue" | summarize backlog = min(valueMin)'
    column: 'backlog'
    threshold: 200
  }
  {
    key: 'failed-messages'
    title: 'Aftercare: messages failing'
    description: 'Texts settled as failed (invalid numbers, Twilio refusals). Clinics see the reason on the timeline.'
    severity: 3
    query: 'customEvents | where name == "MessageSettled" and tostring(customDimensions.Status) == "failed" | summarize failed = count()'
    column: 'failed'
    threshold: 10
  }
  {
    key: 'in-doubt'
    title: 'Aftercare: sends in doubt'
    description: 'Twilio calls whose outcome was unknown (timeouts, 5xx). Each is checked with Twilio before any re-send.'
    severity: 3
    query: 'customEvents | where name == "MessageInDoubt" | summarize inDoubt = count()'
    column: 'inDoubt'
    threshold: 20
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
    windowSize: 'PT15M'
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
