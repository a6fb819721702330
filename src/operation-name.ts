import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/** The operation's name: the one asked for, else the document's first operation's (anonymous ones have none). */
export function operationNameOf(document: DocumentNode, requested: string | null | undefined): string | null {
  if (requested) return requested;
  const definition = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return definition?.name?.value ?? null;
}
