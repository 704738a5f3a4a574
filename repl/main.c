/* main.c — placeholder until the command table lands. */
#include <stdio.h>
#include "config.h"

int main(void)
{
	printf("backlab %s\n", BACKLAB_VERSION);
	return 0;
}
