package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// outputDocs describe each component's outputs: the exported fields of the Go component structs
// (trail.Trail, alarms.Alarms, notify.Notify, posture.Posture, athena.Athena), whose doc comments they follow.
// infer takes descriptions from the output type's Annotate method, which those structs, in the
// root module, do not have; describeOutputs adds these instead, and refuses an output without one.
var outputDocs = map[string]map[string]string{
	"rootwatch:trail:Trail": {
		"trailArn":             "The trail's ARN.",
		"trailName":            "The trail's name.",
		"bucketName":           "The bucket receiving the log files.",
		"bucketArn":            "The bucket's ARN.",
		"accessLogBucketName":  "The bucket receiving the log bucket's server access logs (\"\" when the bucket is brought with existingBucketName).",
		"keyArn":               "The KMS key encrypting the log files and the log group.",
		"logGroupName":         "The CloudWatch Logs group receiving the trail: pass it to Alarms' logGroupName.",
		"logGroupArn":          "The log group's ARN, without the \":*\" suffix.",
		"logsRoleArn":          "The IAM role CloudTrail delivers to CloudWatch Logs with.",
		"deliveryTopicArn":     "The log file delivery topic (\"\" unless deliveryNotifications).",
		"requiredKeyPolicy":    "The JSON key policy the key must hold for this trail to deliver: the applied policy when the key is created, to hand to its owner when it is brought.",
		"requiredBucketPolicy": "The JSON bucket policy the bucket must hold for this trail to deliver: the applied policy when the bucket is created, to hand to its owner when it is brought.",
	},
	"rootwatch:alarms:Alarms": {
		"topicArn":         "The alert topic: pass it to Notify's and Posture's topicArn.",
		"keyArn":           "The alert topic's key (\"\" when topicArn was given).",
		"healthTopicArn":   "The health topic, the second, independent path for alarms about the alert path itself (\"\" when topicArn was given or nobody is subscribed): pass it to Notify's health.topicArn and Posture's healthTopicArn.",
		"healthKeyArn":     "The health topic's key (\"\" with no health topic).",
		"chatTopicArn":     "The chat channels' topic (\"\" without chat channels): pass it to Notify's chatTopicArn.",
		"heartbeatRuleArn": "The heartbeat's scheduled rule (\"\" when heartbeatDays is 0).",
		"alarmArns":        "Each deployed control id, mapped to its alarm's ARN.",
		"alarmNames":       "Each deployed control id, mapped to its alarm's name.",
		"metricNamespace":  "The namespace of the filters' metrics.",
	},
	"rootwatch:notify:Notify": {
		"homeRegion":              "The region of the rules that notify the topic.",
		"ruleArns":                "Each home rule id (root-signin, root-api-call, root-console-api-call, ...) mapped to its rule's ARN.",
		"ruleNames":               "Each home rule id mapped to its rule's name.",
		"alarmArns":               "Each home rule id mapped to its FailedInvocations alarm.",
		"forwardRuleArns":         "Each forwarding region mapped to its rule.",
		"forwardRoleArns":         "Each forwarding region mapped to its rule's role.",
		"forwardAlarmArns":        "Each forwarding region mapped to its rule's FailedInvocations alarm (empty without health).",
		"forwardHealthTopicArns":  "Each forwarding region mapped to the health topic its alarm notifies (empty without health).",
		"memberBusArn":            "The central event bus of the member accounts' notifications (\"\" without members).",
		"memberRuleArns":          "Each rule id mapped to its rule on the central bus (empty without members).",
		"memberRuleNames":         "Each rule id mapped to its rule's name on the central bus (empty without members).",
		"memberAlarmArns":         "Each rule id mapped to the FailedInvocations alarm of its rule on the central bus (empty without members).",
		"memberStackSetName":      "The StackSet that forwards each member account's root activity (\"\" without members).",
		"memberStackSetInstances": "Each watched region mapped to its StackSet instance id (empty without members).",
	},
	"rootwatch:posture:Posture": {
		"enabledFeatures":    "The IAM organization features enabled (empty without rootCredentialsManagement).",
		"organizationId":     "The organization's id (\"\" without rootCredentialsManagement).",
		"configRuleArns":     "Each Config rule id mapped to its rule's ARN (empty without configRules).",
		"configRuleNames":    "Each Config rule id mapped to its rule's name (empty without configRules).",
		"complianceRuleArn":  "The EventBridge rule sending the Config rules' compliance changes to the topic (\"\" without configRules).",
		"complianceAlarmArn": "That rule's FailedInvocations alarm (\"\" without configRules).",
	},
	"rootwatch:athena:Athena": {
		"databaseName":      "The Glue database holding the CloudTrail table.",
		"tableName":         "The Glue table of the trail's CloudTrail records, partitioned by projection (account, region, timestamp).",
		"workgroupName":     "The Athena workgroup the named queries belong to: choose it in the Athena console, or pass it to `rootwatch scan --athena`.",
		"resultsBucketName": "The bucket receiving the workgroup's query results (encrypted with the results key, expiring).",
		"resultsKeyArn":     "The KMS key encrypting the query results.",
		"namedQueryIds":     "Each catalogue control id, and root-activity-summary, mapped to its named query's id.",
	},
}

// describeOutputs adds outputDocs to spec's resources, and refuses a resource or output property
// without a description, or a description for an output that does not exist.
func describeOutputs(spec *pschema.PackageSpec) error {
	var problems []string
	for tok, docs := range outputDocs {
		r, ok := spec.Resources[tok]
		if !ok {
			problems = append(problems, tok+" is not served")
			continue
		}
		for name, d := range docs {
			prop, ok := r.Properties[name]
			if !ok {
				problems = append(problems, tok+" has no output "+name)
				continue
			}
			prop.Description = d
			r.Properties[name] = prop
		}
		spec.Resources[tok] = r
	}
	for tok, r := range spec.Resources {
		if r.Description == "" {
			problems = append(problems, tok+" has no description")
		}
		for name, prop := range r.Properties {
			if prop.Description == "" {
				problems = append(problems, tok+" output "+name+" has no description")
			}
		}
		for name, prop := range r.InputProperties {
			if prop.Description == "" {
				problems = append(problems, tok+" input "+name+" has no description")
			}
		}
	}
	for tok, t := range spec.Types {
		for name, prop := range t.Properties {
			if prop.Description == "" {
				problems = append(problems, tok+" property "+name+" has no description")
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("schema: %s", strings.Join(problems, "; "))
	}
	return nil
}

// argTypes are the Go types behind the schema's resources (their inputs) and object types.
var argTypes = map[string]reflect.Type{
	"rootwatch:trail:Trail":         reflect.TypeFor[TrailArgs](),
	"rootwatch:alarms:Alarms":       reflect.TypeFor[AlarmsArgs](),
	"rootwatch:notify:Notify":       reflect.TypeFor[NotifyArgs](),
	"rootwatch:posture:Posture":     reflect.TypeFor[PostureArgs](),
	"rootwatch:athena:Athena":       reflect.TypeFor[AthenaArgs](),
	"rootwatch:trail:Lifecycle":     reflect.TypeFor[Lifecycle](),
	"rootwatch:alarms:SlackChannel": reflect.TypeFor[SlackChannel](),
	"rootwatch:alarms:TeamsChannel": reflect.TypeFor[TeamsChannel](),
	"rootwatch:notify:Health":       reflect.TypeFor[Health](),
	"rootwatch:notify:Members":      reflect.TypeFor[Members](),
}

var inputType = reflect.TypeFor[pulumi.Input]()

// markPlain makes the schema say what the Go arguments say: a field that is a plain Go value (a
// string, a list, a map, a nested struct) is plain as a whole, so the SDKs take a value known when
// the program runs, as the Go component needs to decide which resources exist; a pulumi.*Input
// field takes an output, and so do the elements of an array input (pulumi.StringArrayInput).
// infer marks only the innermost values of a plain list or map plain.
func markPlain(spec *pschema.PackageSpec) error {
	for tok, typ := range argTypes {
		var props map[string]pschema.PropertySpec
		if r, ok := spec.Resources[tok]; ok {
			props = r.InputProperties
		} else if t, ok := spec.Types[tok]; ok {
			props = t.Properties
		} else {
			return fmt.Errorf("schema: %s is not served", tok)
		}
		for _, f := range reflect.VisibleFields(typ) {
			name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
			prop, ok := props[name]
			if name == "" || !ok {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			setPlain(&prop.TypeSpec, !ft.Implements(inputType))
			props[name] = prop
		}
	}
	return nil
}

// setPlain marks t, and the elements of an array or map, plain or not.
func setPlain(t *pschema.TypeSpec, plain bool) {
	t.Plain = plain
	if t.Items != nil {
		setPlain(t.Items, plain)
	}
	if t.AdditionalProperties != nil {
		setPlain(t.AdditionalProperties, plain)
	}
}
