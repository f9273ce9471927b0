package main

// Evaluating the loaded policies on one admission request, following the
// ValidatingAdmissionPolicy dispatcher (validating/dispatcher.go) per
// (policy, binding) pair instead of per request.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/admission"
	admissionauthorizer "k8s.io/apiserver/pkg/admission/plugin/authorizer"
	"k8s.io/apiserver/pkg/admission/plugin/policy/generic"
	"k8s.io/apiserver/pkg/admission/plugin/policy/matching"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"
	listersv1 "k8s.io/client-go/listers/core/v1"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
)

type resourceInput struct {
	Group      string `json:"group"`
	Version    string `json:"version"`
	Resource   string `json:"resource"`
	Namespaced *bool  `json:"namespaced"`
}

type userInfoInput struct {
	Username string              `json:"username"`
	UID      string              `json:"uid"`
	Groups   []string            `json:"groups"`
	Extra    map[string][]string `json:"extra"`
}

type caseInput struct {
	Object    json.RawMessage `json:"object"`
	OldObject json.RawMessage `json:"oldObject"`
	Operation string          `json:"operation"`
	Namespace json.RawMessage `json:"namespace"`
	UserInfo  *userInfoInput  `json:"userInfo"`
	// Resource: the GVR (and scope) of a kind that is not built in.
	Resource *resourceInput `json:"resource"`
	DryRun   bool           `json:"dryRun"`
}

type failure struct {
	Validation int    `json:"validation"`
	Message    string `json:"message"`
	Reason     string `json:"reason,omitempty"`
	// Evaluation: "deny" (the validation was false) or "error" (it could not be
	// evaluated, failurePolicy Fail).
	Evaluation string `json:"evaluation"`
	Param      string `json:"param,omitempty"`
}

type pairResult struct {
	Policy  string `json:"policy"`
	Binding string `json:"binding"`
	Matched bool   `json:"matched"`
	// Decision: "deny" when this pair makes the API server reject the request
	// through a failed validation, "error" when it does through an error
	// (failurePolicy Fail, a configuration error, an audit annotation error, a
	// missing namespace), "admit" otherwise.
	Decision string `json:"decision"`
	// Message: what the API server answers when this pair rejects the request.
	Message          string            `json:"message,omitempty"`
	Failures         []failure         `json:"failures"`
	Warnings         []string          `json:"warnings"`
	AuditFailures    []failure         `json:"auditFailures"`
	AuditAnnotations map[string]string `json:"auditAnnotations"`
	RuntimeCost      int64             `json:"runtimeCost"`
	Error            string            `json:"error,omitempty"`
}

// evaluator holds the per-worker state: a namespace lister the matcher reads.
type evaluator struct {
	o       *oracle
	ns      *singleNamespaceLister
	matcher generic.PolicyMatcher
	authz   authorizer.UnconditionalAuthorizer
	objects admission.ObjectInterfaces
}

var sharedClient kubernetes.Interface = fake.NewClientset()

func (o *oracle) newEvaluator() *evaluator {
	lister := &singleNamespaceLister{}
	return &evaluator{
		o:       o,
		ns:      lister,
		matcher: generic.NewPolicyMatcher(matching.NewMatcher(lister, sharedClient)),
		authz:   noOpinionAuthorizer{},
		objects: &admission.RuntimeObjectInterfaces{
			ObjectCreater:            legacyscheme.Scheme,
			ObjectTyper:              legacyscheme.Scheme,
			ObjectDefaulter:          legacyscheme.Scheme,
			ObjectConvertor:          legacyscheme.Scheme,
			EquivalentResourceMapper: o.kinds.equivalents,
		},
	}
}

type noOpinionAuthorizer struct{}

func (noOpinionAuthorizer) Authorize(context.Context, authorizer.Attributes) (authorizer.Decision, string, error) {
	return authorizer.DecisionNoOpinion, "kubeharden oracle: no authorizer", nil
}

func (e *evaluator) decodeObject(raw json.RawMessage, c *caseInput, applyDefaults bool) (runtime.Object, schema.GroupVersionKind, schema.GroupVersionResource, bool, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, schema.GroupVersionKind{}, schema.GroupVersionResource{}, false, fmt.Errorf("object: %v", err)
	}
	gv, err := schema.ParseGroupVersion(head.APIVersion)
	if err != nil || head.Kind == "" {
		return nil, schema.GroupVersionKind{}, schema.GroupVersionResource{}, false, errors.New("object: apiVersion and kind are required")
	}
	gvk := gv.WithKind(head.Kind)
	if k, ok := e.o.custom[gvk]; ok {
		namespace := metav1.NamespaceDefault
		var ns struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if !isNull(c.Namespace) && json.Unmarshal(c.Namespace, &ns) == nil && ns.Metadata.Name != "" {
			namespace = ns.Metadata.Name
		}
		u, err := k.decodeCustom(raw, namespace, applyDefaults)
		return u, gvk, k.info.GVR, k.info.Namespaced, err
	}
	if c.Resource != nil {
		gvr := schema.GroupVersionResource{Group: c.Resource.Group, Version: c.Resource.Version, Resource: c.Resource.Resource}
		namespaced := c.Resource.Namespaced == nil || *c.Resource.Namespaced
		if _, builtin := e.o.kinds.byGVK[gvk]; !builtin {
			u := &unstructured.Unstructured{}
			if err := u.UnmarshalJSON(raw); err != nil {
				return nil, gvk, gvr, false, fmt.Errorf("object: %v", err)
			}
			return u, gvk, gvr, namespaced, nil
		}
	}
	info, ok := e.o.kinds.byGVK[gvk]
	if !ok {
		return nil, gvk, schema.GroupVersionResource{}, false, fmt.Errorf("object: unknown kind %s (give the case a `resource`)", gvk)
	}
	obj, err := decodeBuiltin(raw, gvk, applyDefaults)
	if err != nil {
		return nil, gvk, info.GVR, info.Namespaced, err
	}
	return obj, gvk, info.GVR, info.Namespaced, nil
}

// decodeBuiltin decodes a built-in object to its internal version, as the
// API server's codec does: with defaulting (unless disabled), unknown fields dropped.
func decodeBuiltin(raw []byte, gvk schema.GroupVersionKind, applyDefaults bool) (runtime.Object, error) {
	if applyDefaults {
		obj, _, err := legacyscheme.Codecs.UniversalDecoder().Decode(raw, &gvk, nil)
		if err != nil {
			return nil, fmt.Errorf("object: %v", err)
		}
		return obj, nil
	}
	external, err := legacyscheme.Scheme.New(gvk)
	if err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	if err := json.Unmarshal(raw, external); err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	internal, err := legacyscheme.Scheme.New(gvk.GroupKind().WithVersion(runtime.APIVersionInternal))
	if err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	if err := legacyscheme.Scheme.Convert(external, internal, nil); err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	return internal, nil
}

func isNull(raw json.RawMessage) bool {
	t := strings.TrimSpace(string(raw))
	return t == "" || t == "null"
}

func (e *evaluator) evaluateCase(set *policySet, c *caseInput) ([]pairResult, error) {
	if isNull(c.Object) {
		return nil, errors.New("object is required")
	}
	var op admission.Operation
	var opts runtime.Object
	switch strings.ToUpper(c.Operation) {
	case "", "CREATE":
		op, opts = admission.Create, &metav1.CreateOptions{}
	case "UPDATE":
		op, opts = admission.Update, &metav1.UpdateOptions{}
	default:
		return nil, errors.New("operation must be CREATE or UPDATE")
	}
	obj, gvk, gvr, namespaced, err := e.decodeObject(c.Object, c, set.applyDefaults)
	if err != nil {
		return nil, err
	}
	var old runtime.Object
	if !isNull(c.OldObject) {
		if op != admission.Update {
			return nil, errors.New("oldObject is only for UPDATE")
		}
		old, _, _, _, err = e.decodeObject(c.OldObject, c, set.applyDefaults)
		if err != nil {
			return nil, fmt.Errorf("old%s", err)
		}
	} else if op == admission.Update {
		return nil, errors.New("UPDATE needs an oldObject")
	}
	if k, ok := e.o.custom[gvk]; ok {
		// a custom resource is validated against its schema before the validating policies run
		oldU, _ := old.(*unstructured.Unstructured)
		if err := k.prepareAndValidate(obj.(*unstructured.Unstructured), oldU); err != nil {
			return nil, err
		}
	}

	var nsObj *corev1.Namespace
	if !isNull(c.Namespace) {
		decoded, _, err := legacyscheme.Codecs.UniversalDecoder(corev1.SchemeGroupVersion).Decode(c.Namespace, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("namespace: %v", err)
		}
		ns, ok := decoded.(*corev1.Namespace)
		if !ok {
			return nil, errors.New("namespace: not a v1 Namespace")
		}
		nsObj = ns
	}
	accessor, err := metaAccessor(obj)
	if err != nil {
		return nil, err
	}
	namespace := ""
	if namespaced {
		namespace = accessor.GetNamespace()
		if namespace == "" && nsObj != nil {
			namespace = nsObj.Name
		}
		if namespace == "" {
			namespace = metav1.NamespaceDefault
		}
	}
	if nsObj == nil && namespace != "" {
		// No namespace given: the namespace of the object exists, without labels
		// other than the one kube-apiserver always sets.
		nsObj = &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}, Status: corev1.NamespaceStatus{Phase: corev1.NamespaceActive}}
	}
	if nsObj != nil {
		if nsObj.Labels == nil {
			nsObj.Labels = map[string]string{}
		}
		if _, ok := nsObj.Labels[corev1.LabelMetadataName]; !ok && nsObj.Name != "" {
			nsObj.Labels[corev1.LabelMetadataName] = nsObj.Name
		}
	}
	e.ns.set(nsObj)
	defer e.ns.set(nil)

	info := &user.DefaultInfo{Name: "kubeharden-oracle", Groups: []string{user.AllAuthenticated}}
	if c.UserInfo != nil {
		info = &user.DefaultInfo{Name: c.UserInfo.Username, UID: c.UserInfo.UID, Groups: c.UserInfo.Groups, Extra: c.UserInfo.Extra}
	}
	attrs := admission.NewAttributesRecord(obj, old, gvk, namespace, accessor.GetName(), gvr, "", op, opts, c.DryRun, info)

	ctx := context.Background()
	authz := admissionauthorizer.NewCachingAuthorizer(e.authz)
	versioned := map[schema.GroupVersionKind]*admission.VersionedAttributes{}
	results := []pairResult{}
	for _, lp := range set.policies {
		results = append(results, e.evaluatePolicy(ctx, lp, attrs, authz, versioned)...)
	}
	return results, nil
}

type metaObject interface {
	GetNamespace() string
	GetName() string
}

func metaAccessor(obj runtime.Object) (metaObject, error) {
	if m, ok := obj.(metav1.Object); ok {
		return m, nil
	}
	return nil, errors.New("object: no metadata")
}

func newPair(lp *loadedPolicy, b *admissionregistrationv1.ValidatingAdmissionPolicyBinding) pairResult {
	return pairResult{Policy: lp.policy.Name, Binding: b.Name, Decision: "admit", Failures: []failure{}, Warnings: []string{},
		AuditFailures: []failure{}, AuditAnnotations: map[string]string{}}
}

func failurePolicyOf(p *admissionregistrationv1.ValidatingAdmissionPolicy) admissionregistrationv1.FailurePolicyType {
	if p.Spec.FailurePolicy == nil {
		return admissionregistrationv1.Fail
	}
	return *p.Spec.FailurePolicy
}

// configError applies the failure policy to a configuration error, as the dispatcher's addConfigError does.
func configError(r *pairResult, p *admissionregistrationv1.ValidatingAdmissionPolicy, bindingLevel bool, err error) {
	var msg string
	if bindingLevel {
		msg = fmt.Errorf("failed to configure binding: %w", err).Error()
	} else {
		msg = fmt.Errorf("failed to configure policy: %w", err).Error()
	}
	r.Error = msg
	switch failurePolicyOf(p) {
	case admissionregistrationv1.Ignore:
		return
	case admissionregistrationv1.Fail:
	default:
		msg = fmt.Sprintf("unrecognized failure policy: '%v'", failurePolicyOf(p))
		r.Error = msg
	}
	r.Decision = "error"
	r.Message = deniedMessage(p.Name, r.Binding, bindingLevel, msg)
}

func deniedMessage(policy, binding string, withBinding bool, msg string) string {
	if withBinding {
		return fmt.Sprintf("ValidatingAdmissionPolicy '%s' with binding '%s' denied request: %s", policy, binding, msg)
	}
	return fmt.Sprintf("ValidatingAdmissionPolicy '%s' denied request: %s", policy, msg)
}

func hasAction(b *admissionregistrationv1.ValidatingAdmissionPolicyBinding, a admissionregistrationv1.ValidationAction) bool {
	for _, x := range b.Spec.ValidationActions {
		if x == a {
			return true
		}
	}
	return false
}

const maxAuditAnnotationValueLength = 10 * 1024

func (e *evaluator) evaluatePolicy(ctx context.Context, lp *loadedPolicy, attrs admission.Attributes, authz authorizer.UnconditionalAuthorizer,
	versioned map[schema.GroupVersionKind]*admission.VersionedAttributes) []pairResult {
	out := make([]pairResult, 0, len(lp.bindings))
	definition := lp.policy
	matches, matchResource, matchKind, err := e.matcher.DefinitionMatches(attrs, e.objects, validating.NewValidatingAdmissionPolicyAccessor(definition))
	for _, binding := range lp.bindings {
		r := newPair(lp, binding)
		switch {
		case err != nil:
			configError(&r, definition, false, err)
		case !matches:
		case lp.configErr != nil:
			r.Matched = true
			configError(&r, definition, false, lp.configErr)
		default:
			e.evaluateBinding(ctx, &r, lp, binding, attrs, matchResource, matchKind, authz, versioned)
		}
		out = append(out, r)
	}
	return out
}

func (e *evaluator) evaluateBinding(ctx context.Context, r *pairResult, lp *loadedPolicy, binding *admissionregistrationv1.ValidatingAdmissionPolicyBinding,
	attrs admission.Attributes, matchResource schema.GroupVersionResource, matchKind schema.GroupVersionKind,
	authz authorizer.UnconditionalAuthorizer, versioned map[schema.GroupVersionKind]*admission.VersionedAttributes) {
	definition := lp.policy
	bindingMatches, err := e.matcher.BindingMatches(attrs, e.objects, validating.NewValidatingAdmissionPolicyBindingAccessor(binding))
	if err != nil {
		configError(r, definition, true, err)
		return
	}
	if !bindingMatches {
		return
	}
	r.Matched = true
	params, err := generic.CollectParams(definition.Spec.ParamKind, lp.paramInformer, lp.paramScope, binding.Spec.ParamRef,
		attrs.GetNamespace(), nil, nil)
	if err != nil {
		configError(r, definition, true, err)
		return
	}
	if len(params) == 0 {
		return
	}
	va := versioned[matchKind]
	if va == nil {
		va, err = admission.NewVersionedAttributes(attrs, matchKind, e.objects)
		if err != nil {
			configError(r, definition, true, fmt.Errorf("failed to convert object version: %w", err))
			return
		}
		versioned[matchKind] = va
	}
	var namespace *corev1.Namespace
	namespaceName := attrs.GetNamespace()
	if gvk := attrs.GetKind(); gvk.Kind == "Namespace" && gvk.Version == "v1" && gvk.Group == "" {
		namespaceName = ""
	}
	if namespaceName != "" {
		namespace, err = e.matcher.GetNamespace(ctx, namespaceName)
		if err != nil {
			// The dispatcher returns this error: the request fails whatever the failure policy.
			r.Decision = "error"
			r.Error = err.Error()
			r.Message = err.Error()
			return
		}
	}
	rec := &costRecord{}
	evalCtx := context.WithValue(ctx, costKey{}, rec)
	var denials []string
	var errorDenials []string
	conditionsMatched := false
	for _, param := range params {
		paramName := ""
		if m, ok := param.(metav1.Object); ok && param != nil && len(params) > 1 {
			paramName = m.GetNamespace() + "/" + m.GetName()
		}
		var p runtime.Object
		if param != nil {
			p = param
		}
		res := lp.validator.Validate(evalCtx, matchResource, va, p, namespace, celconfig.RuntimeCELCostBudget, authz)
		// An empty result: the matchConditions excluded the request (a policy has
		// at least one validation or audit annotation).
		if len(res.Decisions) > 0 || len(res.AuditAnnotations) > 0 {
			conditionsMatched = true
		}
		for i, d := range res.Decisions {
			switch d.Action {
			case validating.ActionAdmit:
				if d.Evaluation == validating.EvalError {
					r.Error = joinErr(r.Error, d.Message)
				}
			case validating.ActionDeny:
				f := failure{Validation: i, Message: d.Message, Reason: string(d.Reason), Evaluation: "deny", Param: paramName}
				if d.Evaluation == validating.EvalError {
					f.Evaluation = "error"
					r.Error = joinErr(r.Error, d.Message)
				}
				r.Failures = append(r.Failures, f)
				if hasAction(binding, admissionregistrationv1.Deny) {
					if f.Evaluation == "deny" {
						denials = append(denials, d.Message)
					} else {
						errorDenials = append(errorDenials, d.Message)
					}
				}
				if hasAction(binding, admissionregistrationv1.Audit) {
					r.AuditFailures = append(r.AuditFailures, f)
				}
				if hasAction(binding, admissionregistrationv1.Warn) {
					r.Warnings = append(r.Warnings, fmt.Sprintf("Validation failed for ValidatingAdmissionPolicy '%s' with binding '%s': %s",
						definition.Name, binding.Name, d.Message))
				}
			}
		}
		for _, a := range res.AuditAnnotations {
			switch a.Action {
			case validating.AuditAnnotationActionPublish:
				v := a.Value
				if len(v) > maxAuditAnnotationValueLength {
					v = v[:maxAuditAnnotationValueLength]
				}
				key := definition.Name + "/" + a.Key
				if prev, ok := r.AuditAnnotations[key]; ok && prev != v {
					v = prev + ", " + v
				}
				r.AuditAnnotations[key] = v
			case validating.AuditAnnotationActionError:
				errorDenials = append(errorDenials, a.Error)
				r.Error = joinErr(r.Error, a.Error)
			}
		}
	}
	r.RuntimeCost = rec.cost
	r.Matched = conditionsMatched
	switch {
	case len(denials) > 0:
		r.Decision = "deny"
		r.Message = deniedMessage(definition.Name, binding.Name, true, denials[0])
	case len(errorDenials) > 0:
		r.Decision = "error"
		r.Message = deniedMessage(definition.Name, binding.Name, true, errorDenials[0])
	}
}

func joinErr(prev, msg string) string {
	if prev == "" {
		return msg
	}
	return prev + "; " + msg
}

// singleNamespaceLister is the namespace lister of one case: it knows the
// case's namespace object, if any.
type singleNamespaceLister struct {
	ns *corev1.Namespace
}

func (l *singleNamespaceLister) set(ns *corev1.Namespace) { l.ns = ns }

func (l *singleNamespaceLister) List(selector labels.Selector) ([]*corev1.Namespace, error) {
	if l.ns != nil && selector.Matches(labels.Set(l.ns.Labels)) {
		return []*corev1.Namespace{l.ns}, nil
	}
	return nil, nil
}

func (l *singleNamespaceLister) Get(name string) (*corev1.Namespace, error) {
	if l.ns != nil && l.ns.Name == name {
		return l.ns, nil
	}
	return nil, apierrors.NewNotFound(corev1.Resource("namespaces"), name)
}

var _ listersv1.NamespaceLister = &singleNamespaceLister{}
