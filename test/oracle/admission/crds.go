package main

// Custom resources: the kinds of the CustomResourceDefinitions a load gives.
// kube-apiserver serves them through apiextensions-apiserver, and the oracle
// uses its code the same way: the CRD's OpenAPI v3 document (what the
// policies are type-checked against, through discovery, in the API server),
// the request decoder's pruning and metadata coercion, schema defaulting, and
// the custom resource strategy's create and update validation, which run
// before any validating policy sees the object.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	apiextensionshelpers "k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apiextensions-apiserver/pkg/controller/openapi/builder"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/apiserver/pkg/cel/openapi/resolver"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
)

// customStrategy: what the oracle uses of apiextensions-apiserver's custom resource strategy.
type customStrategy interface {
	PrepareForCreate(ctx context.Context, obj runtime.Object)
	PrepareForUpdate(ctx context.Context, obj, old runtime.Object)
	Validate(ctx context.Context, obj runtime.Object) field.ErrorList
	ValidateUpdate(ctx context.Context, obj, old runtime.Object) field.ErrorList
}

// customKind is one served version of a CRD.
type customKind struct {
	info                  kindInfo
	structural            *structuralschema.Structural
	preserveUnknownFields bool
	strategy              customStrategy
	// schema: the kind's OpenAPI v3 schema with its references resolved, as
	// the API server's discovery resolver returns it.
	schema *spec.Schema
}

// loadCRD registers the served versions of a CustomResourceDefinition.
func (o *oracle) loadCRD(raw json.RawMessage) (string, error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if errs := decodeStrict(raw, crd); len(errs) > 0 {
		return crd.Name, errors.New(strings.Join(errs, "; "))
	}
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	if crd.Spec.Group == "" || crd.Spec.Names.Kind == "" || crd.Spec.Names.Plural == "" {
		return crd.Name, errors.New("spec.group, spec.names.kind and spec.names.plural are required")
	}
	namespaced := crd.Spec.Scope == apiextensionsv1.NamespaceScoped
	for _, v := range crd.Spec.Versions {
		if !v.Served {
			continue
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
		k, err := o.customKindOf(crd, v.Name, gvk, namespaced)
		if err != nil {
			return crd.Name, fmt.Errorf("version %s: %v", v.Name, err)
		}
		o.custom[gvk] = k
		o.kinds.addKind(k.info)
	}
	return crd.Name, nil
}

func (o *oracle) customKindOf(crd *apiextensionsv1.CustomResourceDefinition, version string, gvk schema.GroupVersionKind, namespaced bool) (*customKind, error) {
	val, err := apiextensionshelpers.GetSchemaForVersion(crd, version)
	if err != nil {
		return nil, err
	}
	if val == nil || val.OpenAPIV3Schema == nil {
		return nil, errors.New("no schema (apiextensions.k8s.io/v1 requires one)")
	}
	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(val, internal, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil && !crd.Spec.PreserveUnknownFields {
		return nil, fmt.Errorf("not a structural schema: %v", err)
	}
	if !crd.Spec.PreserveUnknownFields {
		structural = structural.DeepCopy()
		if err := structuraldefaulting.PruneDefaults(structural); err != nil {
			return nil, err
		}
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	subresources, err := apiextensionshelpers.GetSubresourcesForVersion(crd, version)
	if err != nil {
		return nil, err
	}
	var status *apiextensionsinternal.CustomResourceSubresourceStatus
	var scale *apiextensionsinternal.CustomResourceSubresourceScale
	statusValidator := validator
	if subresources != nil {
		internalSub := &apiextensionsinternal.CustomResourceSubresources{}
		if err := apiextensionsv1.Convert_v1_CustomResourceSubresources_To_apiextensions_CustomResourceSubresources(subresources, internalSub, nil); err != nil {
			return nil, err
		}
		status, scale = internalSub.Status, internalSub.Scale
		if s, ok := internal.OpenAPIV3Schema.Properties["status"]; ok && status != nil {
			if statusValidator, _, err = apiservervalidation.NewSchemaValidator(&s); err != nil {
				return nil, err
			}
		}
	}
	var selectable []apiextensionsv1.SelectableField
	for _, v := range crd.Spec.Versions {
		if v.Name == version {
			selectable = v.SelectableFields
		}
	}
	strategy := customresource.NewStrategy(legacyscheme.Scheme, namespaced, gvk, validator, statusValidator, structural, status, scale, selectable)
	resolved, err := crdSchema(crd, version, gvk)
	if err != nil {
		return nil, err
	}
	gvr := schema.GroupVersionResource{Group: crd.Spec.Group, Version: version, Resource: crd.Spec.Names.Plural}
	return &customKind{
		info:                  kindInfo{GVK: gvk, GVR: gvr, Namespaced: namespaced},
		structural:            structural,
		preserveUnknownFields: crd.Spec.PreserveUnknownFields,
		strategy:              strategy,
		schema:                resolved,
	}, nil
}

// crdSchema builds the CRD version's OpenAPI v3 document as the API server
// publishes it (the openapiv3 controller's options) and resolves the kind's
// schema in it as the discovery schema resolver does.
func crdSchema(crd *apiextensionsv1.CustomResourceDefinition, version string, gvk schema.GroupVersionKind) (*spec.Schema, error) {
	doc, err := builder.BuildOpenAPIV3(crd, version, builder.Options{V2: false, IncludeSelectableFields: true})
	if err != nil {
		return nil, err
	}
	if doc.Components == nil {
		return nil, errors.New("the OpenAPI document has no components")
	}
	for name, s := range doc.Components.Schemas {
		var gvks []schema.GroupVersionKind
		if err := s.Extensions.GetObject("x-kubernetes-group-version-kind", &gvks); err != nil {
			return nil, err
		}
		for _, g := range gvks {
			if g != gvk {
				continue
			}
			return resolver.PopulateRefs(func(ref string) (*spec.Schema, bool) {
				s, ok := doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
				return s, ok
			}, "#/components/schemas/"+name)
		}
	}
	return nil, fmt.Errorf("no schema for %s in the CRD's OpenAPI document", gvk)
}

// customSchemas resolves the schemas of the loaded custom kinds, after the
// built-in definitions (as the API server's discovery has both).
type customSchemas struct{ o *oracle }

func (c customSchemas) ResolveSchema(gvk schema.GroupVersionKind) (*spec.Schema, error) {
	if k, ok := c.o.custom[gvk]; ok {
		return k.schema, nil
	}
	return nil, fmt.Errorf("cannot resolve %s: %w", gvk, resolver.ErrSchemaNotFound)
}

// decodeCustom decodes a custom resource as the API server's request decoder
// does (metadata coercion without dropping malformed fields, pruning, schema
// defaults), then prepares and validates it as the custom resource strategy
// does before admission's validating phase. namespace fills an empty
// metadata.namespace, as the request's URL does.
func (k *customKind) decodeCustom(raw []byte, namespace string, applyDefaults bool) (*unstructured.Unstructured, error) {
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	objectMeta, foundMeta, _, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{})
	if err != nil {
		return nil, fmt.Errorf("object: metadata: %v", err)
	}
	if !k.preserveUnknownFields {
		structuralpruning.PruneWithOptions(u.Object, k.structural, true, structuralschema.UnknownFieldPathOptions{})
		structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, k.structural)
	}
	if err, _ := schemaobjectmeta.CoerceWithOptions(nil, u.Object, k.structural, false, schemaobjectmeta.CoerceOptions{}); err != nil {
		return nil, fmt.Errorf("object: %v", err)
	}
	u.SetAPIVersion(k.info.GVK.GroupVersion().String())
	u.SetKind(k.info.GVK.Kind)
	if foundMeta {
		if err := schemaobjectmeta.SetObjectMeta(u.Object, objectMeta); err != nil {
			return nil, fmt.Errorf("object: %v", err)
		}
	}
	if applyDefaults && k.structural != nil {
		structuraldefaulting.Default(u.Object, k.structural)
	}
	if k.info.Namespaced && u.GetNamespace() == "" {
		u.SetNamespace(namespace)
	}
	if u.GetName() == "" && u.GetGenerateName() != "" {
		u.SetName(u.GetGenerateName() + "oracle")
	}
	return u, nil
}

// prepareAndValidate runs the strategy's create (old nil) or update preparation
// and validation; an error carries the field errors without their values.
func (k *customKind) prepareAndValidate(obj, old *unstructured.Unstructured) error {
	ctx := context.Background()
	var errs field.ErrorList
	if old == nil {
		k.strategy.PrepareForCreate(ctx, obj)
		errs = k.strategy.Validate(ctx, obj)
	} else {
		k.strategy.PrepareForUpdate(ctx, obj, old)
		errs = k.strategy.ValidateUpdate(ctx, obj, old)
	}
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, valuelessFieldError(e))
	}
	return fmt.Errorf("object: invalid %s: %s", k.info.GVK.Kind, strings.Join(msgs, "; "))
}

// addKind registers a kind in the table, its mapper and its equivalents.
func (t *kindTable) addKind(info kindInfo) {
	t.byGVK[info.GVK] = info
	t.byGVR[info.GVR] = info
	scope := meta.RESTScopeRoot
	if info.Namespaced {
		scope = meta.RESTScopeNamespace
	}
	t.mapper.AddSpecific(info.GVK, info.GVR, info.GVR.GroupVersion().WithResource(strings.ToLower(info.GVK.Kind)), scope)
	t.equivalents.RegisterKindFor(info.GVR, "", info.GVK)
}

// valuelessFieldError formats a custom resource's validation error without the
// offending value: the schema validator's type and format errors quote it in
// their detail (kube-openapi's typeFailWithData), so theirs is left out.
func valuelessFieldError(e *field.Error) string {
	if e.Type == field.ErrorTypeTypeInvalid || e.Type == field.ErrorTypeInvalid {
		return e.Field + ": " + string(e.Type)
	}
	return fieldErrorString(e)
}
