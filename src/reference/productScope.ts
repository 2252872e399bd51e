/** A product scope: no skus and no categories means every product. */
export interface ProductScope {
  readonly skus?: readonly string[] | undefined;
  readonly categories?: readonly string[] | undefined;
}

/** A product as scopes see it. */
export interface ProductKey {
  readonly sku: string;
  readonly category?: string | undefined;
}

function isAll(scope: ProductScope): boolean {
  return (scope.skus === undefined || scope.skus.length === 0) && (scope.categories === undefined || scope.categories.length === 0);
}

/** True when the scope includes the product. */
export function scopeIncludes(scope: ProductScope, product: ProductKey): boolean {
  if (isAll(scope)) return true;
  if (scope.skus?.includes(product.sku)) return true;
  return product.category !== undefined && scope.categories?.includes(product.category) === true;
}

/** True when two scopes share at least one product of the catalogue (or one is unscoped). */
export function scopesIntersect(a: ProductScope, b: ProductScope, categoryOf: (sku: string) => string | undefined): boolean {
  if (isAll(a) || isAll(b)) return true;
  const sharesSku = (x: ProductScope, y: ProductScope) =>
    (x.skus ?? []).some((sku) => {
      const category = categoryOf(sku);
      return y.skus?.includes(sku) === true || (category !== undefined && y.categories?.includes(category) === true);
    });
  if (sharesSku(a, b) || sharesSku(b, a)) return true;
  return (a.categories ?? []).some((category) => b.categories?.includes(category) === true);
}
