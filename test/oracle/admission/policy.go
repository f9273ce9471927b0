package main

// Loading a policy set: decoding, defaulting and validating the policies and
// bindings as kube-apiserver does on create, compiling them for evaluation as
// the ValidatingAdmissionPolicy admission plugin does, type checking them as
// the ValidatingAdmissionPolicy status controller does, and estimating the
// cost of every expression.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	celgo "github.com/google/cel-go/cel"
	"github.com/google/cel-go/checker"

	admissionv1 "k8s.io/api/admission/v1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apimachinery/pkg/util/version"
	"k8s.io/apiserver/pkg/admission"
	plugincel "k8s.io/apiserver/pkg/admission/plugin/cel"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	"k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	apiservercel "k8s.io/apiserver/pkg/cel"
	"k8s.io/apiserver/pkg/cel/common"
	"k8s.io/apiserver/pkg/cel/environment"
	"k8s.io/apiserver/pkg/cel/library"
	"k8s.io/apiserver/pkg/cel/openapi"
	"k8s.io/apiserver/pkg/cel/openapi/resolver"
	"k8s.io/client-go/informers"
	k8sscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	"k8s.io/kubernetes/pkg/apis/admissionregistration"
	admissionvalidation "k8s.io/kubernetes/pkg/apis/admissionregistration/validation"
	generatedopenapi "k8s.io/kubernetes/pkg/generated/openapi"
	sigsjson "sigs.k8s.io/json"
)

type policySetInput struct {
	Policies []json.RawMessage `json:"policies"`
	Bindings []json.RawMessage `json:"bindings"`
	Params   []json.RawMessage `json:"params"`
	// CRDs: CustomResourceDefinitions whose kinds the policies and cases use
	// (they stay loaded, as in a cluster; loading one again replaces it).
	CRDs              []json.RawMessage `json:"crds"`
	KubernetesVersion string            `json:"kubernetesVersion"`
	// ApplyDefaults: apply the API server's defaulting to case objects (default true).
	ApplyDefaults *bool `json:"applyDefaults"`
	// Check: type-check the policies against the OpenAPI schemas and estimate their
	// costs (default true); false only compiles them, for a set already checked.
	Check *bool `json:"check"`
}

// skipChecks is set while a load with "check": false compiles its policies.
var skipChecks bool

type expressionReport struct {
	Path          string  `json:"path"`
	EstimatedCost *uint64 `json:"estimatedCost"`
	Limit         uint64  `json:"limit"`
	// Typed: the estimate used the OpenAPI schema of a matched kind (false: no
	// schema, every value is dyn and every list unbounded).
	Typed        bool   `json:"typed"`
	GVK          string `json:"gvk,omitempty"`
	ExceedsLimit bool   `json:"exceedsLimit"`
}

type typeWarning struct {
	Path    string `json:"path"`
	Warning string `json:"warning"`
	// ServerChecks: the status controller checks this expression too (it
	// checks validations[*].expression and messageExpression only).
	ServerChecks bool `json:"serverChecks"`
}

type policyReport struct {
	Name string `json:"name"`
	// Errors: everything kube-apiserver would reject on create (strict decoding,
	// field validation, CEL compilation in the NewExpressions environment of
	// kubernetesVersion) plus estimated costs over the per-call limit.
	Errors []string `json:"errors"`
	// ServerErrors: the errors kube-apiserver rejects the policy for on create
	// (Errors without the estimated-cost ones, which it does not check for policies).
	ServerErrors     []string           `json:"serverErrors"`
	AdmittedByServer bool               `json:"admittedByServer"`
	TypeWarnings     []typeWarning      `json:"typeWarnings"`
	Expressions      []expressionReport `json:"expressions"`
}

type bindingReport struct {
	Name   string   `json:"name"`
	Policy string   `json:"policy"`
	Errors []string `json:"errors"`
}

type compileReport struct {
	KubernetesVersion string          `json:"kubernetesVersion"`
	Policies          []policyReport  `json:"policies"`
	Bindings          []bindingReport `json:"bindings"`
	Params            []string        `json:"paramErrors"`
	CRDs              []string        `json:"crdErrors"`
}

type loadedPolicy struct {
	policy        *admissionregistrationv1.ValidatingAdmissionPolicy
	validator     validating.Validator
	configErr     error
	paramInformer informers.GenericInformer
	paramScope    meta.RESTScope
	bindings      []*admissionregistrationv1.ValidatingAdmissionPolicyBinding
}

type policySet struct {
	policies      []*loadedPolicy
	applyDefaults bool
}

type oracle struct {
	kinds          *kindTable
	custom         map[schema.GroupVersionKind]*customKind
	schemaResolver resolver.SchemaResolver
	defaultVersion *version.Version
}

func newOracle() *oracle {
	kinds := buildKindTable()
	o := &oracle{
		kinds:          kinds,
		custom:         map[schema.GroupVersionKind]*customKind{},
		defaultVersion: environment.DefaultCompatibilityVersion(),
	}
	o.schemaResolver = resolver.NewDefinitionsSchemaResolver(generatedopenapi.GetOpenAPIDefinitions, k8sscheme.Scheme).Combine(customSchemas{o})
	return o
}

// fieldErrorString formats a field error without the offending value.
func fieldErrorString(e *field.Error) string {
	s := e.Field + ": " + string(e.Type)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func decodeStrict(raw []byte, into interface{}) []string {
	strictErrs, err := sigsjson.UnmarshalStrict(raw, into, sigsjson.DisallowUnknownFields)
	if err != nil {
		return []string{"decode: " + err.Error()}
	}
	var out []string
	for _, e := range strictErrs {
		out = append(out, "strict decoding: "+e.Error())
	}
	return out
}

func (o *oracle) load(in policySetInput) (*policySet, compileReport, error) {
	ver := o.defaultVersion
	if in.KubernetesVersion != "" {
		v, err := version.ParseMajorMinor(in.KubernetesVersion)
		if err != nil {
			return nil, compileReport{}, fmt.Errorf("kubernetesVersion: %v", err)
		}
		ver = v
	}
	report := compileReport{
		KubernetesVersion: fmt.Sprintf("%d.%d", ver.Major(), ver.Minor()),
		Policies:          []policyReport{},
		Bindings:          []bindingReport{},
		Params:            []string{},
		CRDs:              []string{},
	}
	for i, raw := range in.CRDs {
		if name, err := o.loadCRD(raw); err != nil {
			report.CRDs = append(report.CRDs, fmt.Sprintf("crds[%d] %s: %v", i, name, err))
		}
	}
	set := &policySet{applyDefaults: in.ApplyDefaults == nil || *in.ApplyDefaults}
	params := newParamStore()
	for i, raw := range in.Params {
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(raw); err != nil {
			report.Params = append(report.Params, fmt.Sprintf("params[%d]: %v", i, err))
			continue
		}
		params.add(u)
	}
	skipChecks = in.Check != nil && !*in.Check
	defer func() { skipChecks = false }()
	byName := map[string]*loadedPolicy{}
	for i, raw := range in.Policies {
		p := &admissionregistrationv1.ValidatingAdmissionPolicy{}
		errs := decodeStrict(raw, p)
		if p.Name == "" && len(errs) > 0 {
			report.Policies = append(report.Policies, policyReport{Name: fmt.Sprintf("policies[%d]", i), Errors: errs, ServerErrors: errs,
				TypeWarnings: []typeWarning{}, Expressions: []expressionReport{}})
			continue
		}
		legacyscheme.Scheme.Default(p)
		lp, rep := o.compilePolicy(p, ver, params)
		rep.Errors = nonNil(append(errs, rep.Errors...))
		rep.ServerErrors = nonNil(append(errs, rep.ServerErrors...))
		rep.AdmittedByServer = len(rep.ServerErrors) == 0
		report.Policies = append(report.Policies, rep)
		set.policies = append(set.policies, lp)
		byName[p.Name] = lp
	}
	for i, raw := range in.Bindings {
		b := &admissionregistrationv1.ValidatingAdmissionPolicyBinding{}
		errs := decodeStrict(raw, b)
		legacyscheme.Scheme.Default(b)
		internal := &admissionregistration.ValidatingAdmissionPolicyBinding{}
		if err := legacyscheme.Scheme.Convert(b, internal, nil); err != nil {
			errs = append(errs, "convert: "+err.Error())
		} else {
			for _, e := range admissionvalidation.ValidateValidatingAdmissionPolicyBinding(internal) {
				errs = append(errs, fieldErrorString(e))
			}
		}
		name := b.Name
		if name == "" {
			name = fmt.Sprintf("bindings[%d]", i)
		}
		report.Bindings = append(report.Bindings, bindingReport{Name: name, Policy: b.Spec.PolicyName, Errors: nonNil(errs)})
		if lp, ok := byName[b.Spec.PolicyName]; ok {
			lp.bindings = append(lp.bindings, b)
		}
	}
	return set, report, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// expression is one CEL expression of a policy, with what the API server
// compiles it with.
type expression struct {
	path     string
	accessor plugincel.ExpressionAccessor
	opts     plugincel.OptionalVariableDeclarations
	// composited: compiled by the composition compiler (sees `variables`);
	// matchConditions are validated by a stateless compiler.
	composited bool
	variable   bool
	// serverTypeChecked: the status controller's TypeChecker.Check covers it.
	serverTypeChecked bool
}

func policyExpressions(p *admissionregistrationv1.ValidatingAdmissionPolicy) []expression {
	hasParams := p.Spec.ParamKind != nil
	withAuthz := plugincel.OptionalVariableDeclarations{HasParams: hasParams, HasAuthorizer: true}
	var out []expression
	for i, v := range p.Spec.Variables {
		out = append(out, expression{path: fmt.Sprintf("spec.variables[%d].expression", i),
			accessor: &validating.Variable{Name: v.Name, Expression: v.Expression}, opts: withAuthz, composited: true, variable: true})
	}
	for i, c := range p.Spec.MatchConditions {
		out = append(out, expression{path: fmt.Sprintf("spec.matchConditions[%d].expression", i),
			accessor: &matchconditions.MatchCondition{Name: c.Name, Expression: c.Expression}, opts: withAuthz})
	}
	for i, v := range p.Spec.Validations {
		out = append(out, expression{path: fmt.Sprintf("spec.validations[%d].expression", i),
			accessor: &validating.ValidationCondition{Expression: v.Expression}, opts: withAuthz, composited: true, serverTypeChecked: true})
		if strings.TrimSpace(v.MessageExpression) != "" {
			out = append(out, expression{path: fmt.Sprintf("spec.validations[%d].messageExpression", i),
				accessor: &validating.MessageExpressionCondition{MessageExpression: v.MessageExpression},
				opts:     plugincel.OptionalVariableDeclarations{HasParams: hasParams}, composited: true, serverTypeChecked: true})
		}
	}
	for i, a := range p.Spec.AuditAnnotations {
		out = append(out, expression{path: fmt.Sprintf("spec.auditAnnotations[%d].valueExpression", i),
			accessor: &validating.AuditAnnotationCondition{Key: a.Key, ValueExpression: strings.TrimSpace(a.ValueExpression)},
			opts:     withAuthz, composited: true})
	}
	return out
}

func (o *oracle) compilePolicy(p *admissionregistrationv1.ValidatingAdmissionPolicy, ver *version.Version, params *paramStore) (*loadedPolicy, policyReport) {
	rep := policyReport{Name: p.Name, Errors: []string{}, TypeWarnings: []typeWarning{}, Expressions: []expressionReport{}}
	exprs := policyExpressions(p)
	exprPaths := map[string]bool{}
	for _, e := range exprs {
		exprPaths[e.path] = true
	}

	// 1. Field validation of kube-apiserver (pkg/apis/admissionregistration/validation)
	// on the internal form of the defaulted object. Its CEL checks always use the
	// server's default compatibility version; they are replaced by step 2, which
	// compiles with the requested version.
	internal := &admissionregistration.ValidatingAdmissionPolicy{}
	if err := legacyscheme.Scheme.Convert(p, internal, nil); err != nil {
		rep.Errors = append(rep.Errors, "convert: "+err.Error())
	} else {
		for _, e := range admissionvalidation.ValidateValidatingAdmissionPolicy(internal) {
			if exprPaths[e.Field] && (e.Type == field.ErrorTypeInvalid || e.Type == field.ErrorTypeInternal) {
				continue
			}
			rep.Errors = append(rep.Errors, fieldErrorString(e))
		}
	}

	// 2. CEL compilation as on create: NewExpressions environment of `ver`.
	baseEnv := environment.MustBaseEnvSet(ver)
	rep.Errors = append(rep.Errors, compileNewExpressions(baseEnv, p, exprs)...)
	rep.ServerErrors = append([]string{}, rep.Errors...)
	rep.AdmittedByServer = len(rep.Errors) == 0

	// 3 and 4 unless the load asks only to compile ("check": false).
	if !skipChecks {
		o.checkTypesAndCosts(p, exprs, &rep)
	}
	return o.finishPolicy(p, baseEnv, params), rep
}

// checkTypesAndCosts type-checks a policy's expressions and estimates their costs.
func (o *oracle) checkTypesAndCosts(p *admissionregistrationv1.ValidatingAdmissionPolicy, exprs []expression, rep *policyReport) {
	// 3. Type checking with the kube-apiserver's OpenAPI schemas.
	checker := &validating.TypeChecker{SchemaResolver: o.schemaResolver, RestMapper: o.kinds.mapper}
	serverWarned := map[string]bool{}
	for _, w := range checker.Check(p) {
		rep.TypeWarnings = append(rep.TypeWarnings, typeWarning{Path: w.FieldRef, Warning: w.Warning, ServerChecks: true})
		serverWarned[w.FieldRef] = true
	}
	tcCtx := checker.CreateContext(p)
	for _, e := range exprs {
		if e.serverTypeChecked || serverWarned[e.path] {
			continue
		}
		if results := checker.CheckExpression(tcCtx, e.accessor.GetExpression()); len(results) > 0 {
			rep.TypeWarnings = append(rep.TypeWarnings, typeWarning{Path: e.path, Warning: results.String()})
		}
	}

	// 4. Estimated costs, with the schemas of the matched kinds when known.
	estimates := o.estimateCosts(p, exprs)
	for i, e := range exprs {
		er := estimates[i]
		er.Path = e.path
		er.Limit = celconfig.PerCallLimit
		if er.Typed && er.EstimatedCost != nil && *er.EstimatedCost > er.Limit {
			er.ExceedsLimit = true
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: estimated cost %d exceeds the per-call cost limit %d "+
				"(kube-apiserver accepts the policy; an object of that size fails this expression at run time)",
				e.path, *er.EstimatedCost, er.Limit))
		}
		rep.Expressions = append(rep.Expressions, er)
	}
}

// finishPolicy builds the evaluator, as the admission plugin compiles it.
func (o *oracle) finishPolicy(p *admissionregistrationv1.ValidatingAdmissionPolicy, baseEnv *environment.EnvSet, params *paramStore) *loadedPolicy {
	// 5. The evaluator, as the admission plugin compiles it.
	lp := &loadedPolicy{policy: p}
	lp.validator = buildValidator(p, baseEnv)
	if p.Spec.ParamKind != nil {
		gv, err := schema.ParseGroupVersion(p.Spec.ParamKind.APIVersion)
		if err != nil {
			lp.configErr = fmt.Errorf("paramKind: %v", err)
		} else {
			gvk := gv.WithKind(p.Spec.ParamKind.Kind)
			namespaced, known := o.paramKindScope(gvk, params)
			if !known {
				lp.configErr = fmt.Errorf("failed to find resource referenced by paramKind: '%v'", gvk)
			} else {
				lp.paramInformer = params.informer(gvk)
				lp.paramScope = meta.RESTScopeRoot
				if namespaced {
					lp.paramScope = meta.RESTScopeNamespace
				}
			}
		}
	}
	return lp
}

func (o *oracle) paramKindScope(gvk schema.GroupVersionKind, params *paramStore) (namespaced, known bool) {
	if info, ok := o.kinds.byGVK[gvk]; ok {
		return info.Namespaced, true
	}
	objs := params.byGVK[gvk]
	if len(objs) == 0 {
		return false, false
	}
	for _, u := range objs {
		if u.GetNamespace() != "" {
			return true, true
		}
	}
	return false, true
}

// compileNewExpressions compiles every expression as kube-apiserver's create
// validation does, in the NewExpressions environment of the base env set.
func compileNewExpressions(baseEnv *environment.EnvSet, p *admissionregistrationv1.ValidatingAdmissionPolicy, exprs []expression) []string {
	var errs []string
	composited, err := plugincel.NewCompositedCompiler(baseEnv)
	if err != nil {
		return []string{"internal: " + err.Error()}
	}
	stateless := plugincel.NewCompiler(baseEnv)
	for _, e := range exprs {
		if strings.TrimSpace(e.accessor.GetExpression()) == "" {
			continue // reported by field validation
		}
		var res plugincel.CompilationResult
		switch {
		case e.variable:
			res = composited.CompileAndStoreVariable(e.accessor.(plugincel.NamedExpressionAccessor), e.opts, environment.NewExpressions)
		case e.composited && len(p.Spec.Variables) > 0:
			res = composited.CompileCELExpression(e.accessor, e.opts, environment.NewExpressions)
		default:
			res = stateless.CompileCELExpression(e.accessor, e.opts, environment.NewExpressions)
		}
		if res.Error != nil {
			errs = append(errs, fmt.Sprintf("%s: %s: %s", e.path, celErrorType(res.Error), res.Error.Detail))
		}
	}
	return errs
}

func celErrorType(e *apiservercel.Error) string {
	switch e.Type {
	case apiservercel.ErrorTypeInvalid:
		return string(field.ErrorTypeInvalid)
	case apiservercel.ErrorTypeRequired:
		return string(field.ErrorTypeRequired)
	default:
		return string(field.ErrorTypeInternal)
	}
}

// buildValidator compiles the policy for evaluation the way the admission
// plugin does (validating/plugin.go compilePolicy): StoredExpressions
// environment, composition for variables, each evaluator wrapped to measure
// the runtime cost.
func buildValidator(p *admissionregistrationv1.ValidatingAdmissionPolicy, baseEnv *environment.EnvSet) validating.Validator {
	hasParams := p.Spec.ParamKind != nil
	withAuthz := plugincel.OptionalVariableDeclarations{HasParams: hasParams, HasAuthorizer: true}
	noAuthz := plugincel.OptionalVariableDeclarations{HasParams: hasParams}
	compiler, err := plugincel.NewCompositedCompiler(baseEnv)
	if err != nil {
		return validating.NewValidator(nil, nil, nil, nil, p.Spec.FailurePolicy, err)
	}
	var variables []plugincel.NamedExpressionAccessor
	for _, v := range p.Spec.Variables {
		variables = append(variables, &validating.Variable{Name: v.Name, Expression: v.Expression})
	}
	compiler.CompileAndStoreVariables(variables, withAuthz, environment.StoredExpressions)

	var matcher matchconditions.Matcher
	if len(p.Spec.MatchConditions) > 0 {
		accessors := make([]plugincel.ExpressionAccessor, len(p.Spec.MatchConditions))
		for i := range p.Spec.MatchConditions {
			accessors[i] = (*matchconditions.MatchCondition)(&p.Spec.MatchConditions[i])
		}
		filter := costTracking{compiler.CompileCondition(accessors, withAuthz, environment.StoredExpressions)}
		matcher = matchconditions.NewMatcher(filter, p.Spec.FailurePolicy, "policy", "validate", p.Name)
	}
	validations := make([]plugincel.ExpressionAccessor, len(p.Spec.Validations))
	messages := make([]plugincel.ExpressionAccessor, len(p.Spec.Validations))
	for i, v := range p.Spec.Validations {
		validations[i] = &validating.ValidationCondition{Expression: v.Expression, Message: v.Message, Reason: v.Reason}
		if v.MessageExpression != "" {
			messages[i] = &validating.MessageExpressionCondition{MessageExpression: v.MessageExpression}
		}
	}
	audits := make([]plugincel.ExpressionAccessor, len(p.Spec.AuditAnnotations))
	for i, a := range p.Spec.AuditAnnotations {
		audits[i] = &validating.AuditAnnotationCondition{Key: a.Key, ValueExpression: a.ValueExpression}
	}
	return validating.NewValidator(
		costTracking{compiler.CompileCondition(validations, withAuthz, environment.StoredExpressions)},
		matcher,
		costTracking{compiler.CompileCondition(audits, withAuthz, environment.StoredExpressions)},
		costTracking{compiler.CompileCondition(messages, noAuthz, environment.StoredExpressions)},
		p.Spec.FailurePolicy,
		nil,
	)
}

// costTracking adds the cost each evaluation spends to the costRecord of its context.
type costTracking struct {
	inner plugincel.ConditionEvaluator
}

type costKey struct{}

type costRecord struct {
	cost int64
}

func (c costTracking) ForInput(ctx context.Context, va *admission.VersionedAttributes, req *admissionv1.AdmissionRequest, vars plugincel.OptionalVariableBindings,
	ns *corev1.Namespace, budget int64) ([]plugincel.EvaluationResult, int64, error) {
	res, remaining, err := c.inner.ForInput(ctx, va, req, vars, ns, budget)
	if rec, ok := ctx.Value(costKey{}).(*costRecord); ok {
		spent := budget - remaining
		if remaining < 0 || errors.Is(err, apiservercel.ErrOutOfBudget) {
			spent = budget
		}
		if spent > 0 {
			rec.cost += spent
		}
	}
	return res, remaining, err
}

func (c costTracking) CompilationErrors() []error {
	return c.inner.CompilationErrors()
}

// --- estimated costs ---

func (o *oracle) estimateCosts(p *admissionregistrationv1.ValidatingAdmissionPolicy, exprs []expression) []expressionReport {
	out := make([]expressionReport, len(exprs))
	gvks := o.matchedGVKs(p)
	var paramsType *apiservercel.DeclType
	if p.Spec.ParamKind != nil {
		if gv, err := schema.ParseGroupVersion(p.Spec.ParamKind.APIVersion); err == nil {
			paramsType = o.declType(gv.WithKind(p.Spec.ParamKind.Kind))
		}
	}
	for _, gvk := range gvks {
		objType := o.declType(gvk)
		if objType == nil {
			continue
		}
		costs := estimateWithTypes(p, exprs, objType, paramsType)
		for i, c := range costs {
			if c == nil {
				continue
			}
			if !out[i].Typed || out[i].EstimatedCost == nil || *c > *out[i].EstimatedCost {
				v := *c
				out[i] = expressionReport{EstimatedCost: &v, Typed: true, GVK: gvk.String()}
			}
		}
	}
	// Expressions without a typed estimate (no schema, or a type error against it): dyn types.
	dyn := estimateWithTypes(p, exprs, nil, nil)
	for i := range out {
		if out[i].EstimatedCost == nil && dyn[i] != nil {
			v := *dyn[i]
			out[i] = expressionReport{EstimatedCost: &v, Typed: false}
		}
	}
	return out
}

// matchedGVKs: the kinds the type checker checks (resource rules without wildcards), at most 10.
func (o *oracle) matchedGVKs(p *admissionregistrationv1.ValidatingAdmissionPolicy) []schema.GroupVersionKind {
	var out []schema.GroupVersionKind
	seen := map[schema.GroupVersionKind]bool{}
	if p.Spec.MatchConstraints == nil {
		return nil
	}
	for _, r := range p.Spec.MatchConstraints.ResourceRules {
		for _, g := range r.APIGroups {
			for _, v := range r.APIVersions {
				for _, res := range r.Resources {
					if strings.ContainsAny(g+v+res, "*/") {
						continue
					}
					info, ok := o.kinds.byGVR[schema.GroupVersionResource{Group: g, Version: v, Resource: res}]
					if ok && !seen[info.GVK] && len(out) < 10 {
						seen[info.GVK] = true
						out = append(out, info.GVK)
					}
				}
			}
		}
	}
	return out
}

func (o *oracle) declType(gvk schema.GroupVersionKind) *apiservercel.DeclType {
	s, err := o.schemaResolver.ResolveSchema(gvk)
	if err != nil {
		return nil
	}
	dt := common.SchemaDeclType(&openapi.Schema{Schema: s}, true)
	if dt == nil {
		return nil
	}
	return dt.MaybeAssignTypeName("estimate" + strings.ReplaceAll(gvk.Group, ".", "_") + gvk.Version + gvk.Kind)
}

// estimateWithTypes compiles the expressions with object/oldObject and params
// typed (nil: dyn) and returns the worst-case cost estimate of each.
func estimateWithTypes(p *admissionregistrationv1.ValidatingAdmissionPolicy, exprs []expression,
	objType, paramsType *apiservercel.DeclType) []*uint64 {
	out := make([]*uint64, len(exprs))
	hasParams := p.Spec.ParamKind != nil
	requestType := plugincel.BuildRequestType()
	namespaceType := plugincel.BuildNamespaceType()
	declTypes := []*apiservercel.DeclType{namespaceType, requestType}
	celTypeOf := func(dt *apiservercel.DeclType) *celgo.Type {
		if dt == nil {
			return celgo.DynType
		}
		declTypes = append(declTypes, dt)
		return dt.CelType()
	}
	objCel := celTypeOf(objType)
	opts := []celgo.EnvOption{
		celgo.Variable(plugincel.ObjectVarName, objCel),
		celgo.Variable(plugincel.OldObjectVarName, objCel),
		celgo.Variable(plugincel.NamespaceVarName, namespaceType.CelType()),
		celgo.Variable(plugincel.RequestVarName, requestType.CelType()),
		celgo.Variable(plugincel.AuthorizerVarName, library.AuthorizerType),
		celgo.Variable(plugincel.RequestResourceAuthorizerVarName, library.ResourceCheckType),
	}
	if hasParams {
		opts = append(opts, celgo.Variable(plugincel.ParamsVarName, celTypeOf(paramsType)))
	}
	envSet, err := environment.MustBaseEnvSet(version.MajorMinor(1, 0)).Extend(environment.VersionedOptions{
		IntroducedVersion: version.MajorMinor(1, 0),
		EnvOptions:        opts,
		DeclTypes:         declTypes,
	})
	if err != nil {
		return out
	}
	compiler, err := plugincel.NewCompositedCompilerForTypeChecking(envSet)
	if err != nil {
		return out
	}
	est := &estimatingCompiler{cc: compiler, sizes: &sizeEstimator{roots: map[string]*apiservercel.DeclType{
		plugincel.ObjectVarName: objType, plugincel.OldObjectVarName: objType, plugincel.ParamsVarName: paramsType,
		plugincel.NamespaceVarName: namespaceType,
	}}}
	compiler.Compiler = est
	for i, e := range exprs {
		est.last = nil
		if e.variable {
			compiler.CompileAndStoreVariable(e.accessor.(plugincel.NamedExpressionAccessor), e.opts, environment.StoredExpressions)
		} else {
			est.CompileCELExpression(e.accessor, e.opts, environment.StoredExpressions)
		}
		out[i] = est.last
	}
	return out
}

type estimatingCompiler struct {
	cc    *plugincel.CompositedCompiler
	sizes *sizeEstimator
	last  *uint64
}

func (c *estimatingCompiler) CompileCELExpression(acc plugincel.ExpressionAccessor, _ plugincel.OptionalVariableDeclarations,
	mode environment.Type) plugincel.CompilationResult {
	fail := func(msg string) plugincel.CompilationResult {
		return plugincel.CompilationResult{Error: &apiservercel.Error{Type: apiservercel.ErrorTypeInvalid, Detail: msg}, ExpressionAccessor: acc}
	}
	env, err := c.cc.Env(mode)
	if err != nil {
		return fail(err.Error())
	}
	ast, issues := env.Compile(acc.GetExpression())
	if issues != nil {
		return fail(issues.String())
	}
	cost, err := env.EstimateCost(ast, &library.CostEstimator{SizeEstimator: c.sizes})
	if err == nil {
		v := cost.Max
		c.last = &v
	}
	return plugincel.CompilationResult{OutputType: ast.OutputType(), ExpressionAccessor: acc}
}

// sizeEstimator gives the maximum size of lists, maps and strings reached by
// a path from a typed root variable: the MaxElements that the schema
// conversion sets from maxItems/maxLength/maxProperties, or from the maximum
// request size where the schema has no bound.
type sizeEstimator struct {
	roots map[string]*apiservercel.DeclType
}

func (s *sizeEstimator) EstimateSize(element checker.AstNode) *checker.SizeEstimate {
	path := element.Path()
	if len(path) == 0 {
		return nil
	}
	node := s.roots[path[0]]
	if node == nil {
		return nil
	}
	for _, step := range path[1:] {
		switch step {
		case "@items", "@values":
			node = node.ElemType
		case "@keys":
			node = node.KeyType
		default:
			f, ok := node.Fields[step]
			if !ok {
				return nil
			}
			node = f.Type
		}
		if node == nil {
			return nil
		}
	}
	return &checker.SizeEstimate{Min: 0, Max: uint64(node.MaxElements)}
}

func (s *sizeEstimator) EstimateCallCost(string, string, *checker.AstNode, []checker.AstNode) *checker.CallEstimate {
	return nil
}

// --- params ---

type paramStore struct {
	byGVK     map[schema.GroupVersionKind][]*unstructured.Unstructured
	informers map[schema.GroupVersionKind]*staticInformer
}

func newParamStore() *paramStore {
	return &paramStore{byGVK: map[schema.GroupVersionKind][]*unstructured.Unstructured{}, informers: map[schema.GroupVersionKind]*staticInformer{}}
}

func (s *paramStore) add(u *unstructured.Unstructured) {
	gvk := u.GroupVersionKind()
	s.byGVK[gvk] = append(s.byGVK[gvk], u)
}

func (s *paramStore) informer(gvk schema.GroupVersionKind) informers.GenericInformer {
	if inf, ok := s.informers[gvk]; ok {
		return inf
	}
	indexer := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	for _, u := range s.byGVK[gvk] {
		_ = indexer.Add(u)
	}
	inf := &staticInformer{lister: cache.NewGenericLister(indexer, schema.GroupResource{Group: gvk.Group, Resource: strings.ToLower(gvk.Kind)})}
	s.informers[gvk] = inf
	return inf
}

// staticInformer serves the params of a load from memory. generic.CollectParams
// calls only Lister() and Informer().HasSynced().
type staticInformer struct {
	lister cache.GenericLister
}

type syncedInformer struct {
	cache.SharedIndexInformer // nil: no other method is called
}

func (syncedInformer) HasSynced() bool { return true }

func (s *staticInformer) Informer() cache.SharedIndexInformer { return syncedInformer{} }
func (s *staticInformer) Lister() cache.GenericLister         { return s.lister }

var _ runtime.Object = &unstructured.Unstructured{}
