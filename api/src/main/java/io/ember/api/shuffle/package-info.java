/** The shuffle SPI: how map output is written, stored and read back. */
package io.ember.api.shuffle;
