/*
 * lesson_role.c — how the parser tells a renderer what a node is.
 *
 * The role and number live in the node's cmark user data as one tagged
 * integer (never a pointer to memory), so they cost nothing to free and
 * survive any renderer walk: value = number << 4 | role, and NULL = plain.
 */
#include "engine/lesson.h"

#include <stdint.h>

void lesson_set_node_role(cmark_node *node, enum node_role role, int number)
{
	uintptr_t v = role == ROLE_PLAIN ? 0 : ((uintptr_t)number << 4) | (uintptr_t)role;
	cmark_node_set_user_data(node, (void *)v);
}

enum node_role lesson_node_role(cmark_node *node, int *number)
{
	uintptr_t v = (uintptr_t)cmark_node_get_user_data(node);
	if (number)
		*number = (int)(v >> 4);
	return (enum node_role)(v & 0xF);
}
