import type { FinalizeHandler, FinalizeHandlerArguments, HandlerExecutionContext, MetadataBearer, Pluggable } from '@smithy/types';
import type { ApiCallCount } from '../evidence/manifest';
import { isThrottling } from './aws-errors';

/**
 * Counts every request sent to AWS, per service and operation: how many, how many were
 * retries, and how many AWS throttled. The manifest records it so an operator can see how hard
 * a collection leaned on the API and tune --concurrency.
 */
export class ApiCallLedger {
  private readonly counts = new Map<string, ApiCallCount>();

  private entry(service: string, operation: string): ApiCallCount {
    const key = `${service}:${operation}`;
    let count = this.counts.get(key);
    if (!count) this.counts.set(key, (count = { service, operation, calls: 0, retries: 0, throttles: 0 }));
    return count;
  }

  /** One HTTP request; `attempt` counts from 1, so anything above it is a retry. */
  sent(service: string, operation: string, attempt: number): void {
    const count = this.entry(service, operation);
    count.calls++;
    if (attempt > 1) count.retries++;
  }

  throttled(service: string, operation: string): void {
    this.entry(service, operation).throttles++;
  }

  entries(): ApiCallCount[] {
    return [...this.counts.values()].sort((a, b) => a.service.localeCompare(b.service) || a.operation.localeCompare(b.operation));
  }

  /**
   * An SDK plugin that sees each attempt: it sits inside the retry middleware, so the SDK's
   * own retries pass through it one by one. The handler is built once per command, which is
   * what lets it number the attempts of that command. `override` lets the plugin be applied
   * again to the same client (the role credential provider does so at every refresh).
   */
  plugin(service: string): Pluggable<object, MetadataBearer> {
    const counter =
      (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        let attempt = 0;
        return async (args: FinalizeHandlerArguments<object>) => {
          this.sent(service, operation, ++attempt);
          try {
            return await next(args);
          } catch (e) {
            if (isThrottling(e)) this.throttled(service, operation);
            throw e;
          }
        };
      };
    return {
      applyToStack: (stack) => {
        stack.addRelativeTo(counter, { name: 'auditpackApiCallCounter', relation: 'after', toMiddleware: 'retryMiddleware', override: true });
      },
    };
  }
}
